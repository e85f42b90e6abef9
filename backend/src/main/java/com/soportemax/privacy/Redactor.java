package com.soportemax.privacy;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.apache.commons.validator.routines.EmailValidator;
import org.apache.commons.validator.routines.IBANValidator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces what could identify a customer with placeholders that stay the same within one conversation: the same
 * e-mail address is {@code <EMAIL_1>} in every message, a second one {@code <EMAIL_2>}. One instance per
 * conversation; not thread-safe.
 *
 * <p>What it finds, in this order (earlier kinds are replaced first, so a later check never sees them): e-mail
 * addresses, IBANs (mod-97 and the country's length, commons-validator), card numbers (Luhn), Spanish DNI and NIE
 * (check letter) and CIF (control character), phone numbers (libphonenumber: Spanish numbers with or without
 * prefix, then any number written in international form), and the names a customer gives after "me llamo",
 * "mi nombre es", "soy", "my name is", "I am" — and every later mention of those names.
 */
public final class Redactor {

    /** The kinds of personal data, named as their placeholders are. */
    public enum Kind { EMAIL, IBAN, CARD, DNI, NIE, CIF, PHONE, NAME }

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final EmailValidator EMAILS = EmailValidator.getInstance();
    private static final IBANValidator IBANS = IBANValidator.getInstance();
    private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

    private static final Pattern EMAIL = Pattern.compile("[\\p{L}\\d._%+-]+@[\\p{L}\\d-]+(?:\\.[\\p{L}\\d-]+)+");
    private static final Pattern IBAN = Pattern.compile(
            "(?<![A-Za-z\\d])[A-Za-z]{2}\\d{2}(?:[ -]?[A-Za-z\\d]){11,30}(?![A-Za-z\\d])");
    private static final Pattern DNI = Pattern.compile("(?<![A-Za-z\\d])(\\d{8})[ -]?([A-Za-z])(?![A-Za-z\\d])");
    private static final Pattern NIE = Pattern.compile("(?<![A-Za-z\\d])([XYZxyz])[ -]?(\\d{7})[ -]?([A-Za-z])(?![A-Za-z\\d])");
    private static final Pattern CIF = Pattern.compile("(?<![A-Za-z\\d])([ABCDEFGHJNPQRSUVWabcdefghjnpqrsuvw])[ -]?(\\d{7})([\\dA-Ja-j])(?![A-Za-z\\d])");
    private static final Pattern NAME = Pattern.compile(
            "(?<![\\p{L}])(?i:me llamo|mi nombre es|soy|my name is|i am|i'm)\\s+"
                    + "(\\p{Lu}[\\p{Ll}'-]+(?:\\s+(?:de\\s+(?:la\\s+|los\\s+)?)?\\p{Lu}[\\p{Ll}'-]+){0,3})");
    // Placeholders already in a text are never redacted again.
    private static final Pattern PLACEHOLDER = Pattern.compile("<(?:EMAIL|IBAN|CARD|DNI|NIE|CIF|PHONE|NAME)_\\d+>");

    private final Map<Kind, Map<String, String>> placeholders = new EnumMap<>(Kind.class);
    private final Set<String> names = new LinkedHashSet<>();

    /** A redactor for one conversation: its placeholders start at 1. */
    public static Redactor forConversation() {
        return new Redactor();
    }

    /**
     * Remembers the names the customer gives in {@code text} without changing anything, so that a mention before
     * the introduction (an agent greeting them by name, earlier in the export) is replaced too.
     */
    public void learnNames(String text) {
        if (text == null || !mayIntroduceAName(text)) return;
        Matcher matcher = NAME.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
    }

    /** The text with every piece of personal data replaced by its placeholder. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        learnNames(text);
        String out = text.indexOf('@') < 0 ? text
                : replace(text, EMAIL, Kind.EMAIL, m -> EMAILS.isValid(m.group()) ? m.group().toLowerCase() : null);
        // Every number-based identifier has at least 7 digits: texts with fewer skip those checks (most messages).
        if (digits(out) >= 7) {
            out = ibans(out);
            out = replace(out, CardMask.CANDIDATE, Kind.CARD, m -> {
                String digits = CardMask.digitsOf(m.group());
                return CardMask.isCardNumber(digits) ? digits : null;
            });
            out = replace(out, NIE, Kind.NIE, Redactor::nie);
            out = replace(out, DNI, Kind.DNI, Redactor::dni);
            out = replace(out, CIF, Kind.CIF, Redactor::cif);
            out = phones(out);
        }
        out = names(out);
        return out;
    }

    /** How many distinct values of each kind were replaced so far. */
    public Map<Kind, Integer> counts() {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        placeholders.forEach((kind, values) -> counts.put(kind, values.size()));
        return counts;
    }

    private interface Normaliser {
        /** The value's canonical form (the same for every way of writing it), or null when it is not one. */
        String canonical(Matcher match);
    }

    private String replace(String text, Pattern pattern, Kind kind, Normaliser normaliser) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (matcher.find()) {
            String canonical = normaliser.canonical(matcher);
            if (canonical == null) continue;
            if (out == null) out = new StringBuilder(text.length());
            out.append(text, last, matcher.start()).append(placeholder(kind, canonical));
            last = matcher.end();
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private String placeholder(Kind kind, String canonical) {
        Map<String, String> values = placeholders.computeIfAbsent(kind, k -> new LinkedHashMap<>());
        return values.computeIfAbsent(canonical, v -> "<" + kind.name() + "_" + (values.size() + 1) + ">");
    }

    private String phones(String text) {
        List<PhoneNumberMatch> found = new ArrayList<>();
        PHONES.findNumbers(text, "ES", PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE).forEach(found::add);
        if (found.isEmpty()) return text;
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (PhoneNumberMatch match : found) {
            if (match.start() < last || insidePlaceholder(text, match.start())) continue;
            String canonical = PHONES.format(match.number(), PhoneNumberUtil.PhoneNumberFormat.E164);
            out.append(text, last, match.start()).append(placeholder(Kind.PHONE, canonical));
            last = match.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    private static boolean insidePlaceholder(String text, int index) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (index >= matcher.start() && index < matcher.end()) return true;
        }
        return false;
    }

    private static int digits(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') digits++;
        }
        return digits;
    }

    private static boolean mayIntroduceAName(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("soy") || lower.contains("llamo") || lower.contains("nombre") || lower.contains("name")
                || lower.contains("i am") || lower.contains("i'm");
    }

    // Every mention of a learned name, as a whole word (no letter on either side). A plain search rather than a
    // pattern compiled per name: one redactor per conversation, so compiled patterns would never be reused.
    private String names(String text) {
        String out = text;
        for (String name : names) {
            int at = out.indexOf(name);
            if (at < 0) continue;
            StringBuilder replaced = null;
            int last = 0;
            while (at >= 0) {
                int end = at + name.length();
                boolean whole = (at == 0 || !Character.isLetter(out.codePointBefore(at)))
                        && (end == out.length() || !Character.isLetter(out.codePointAt(end)));
                if (whole) {
                    if (replaced == null) replaced = new StringBuilder(out.length());
                    replaced.append(out, last, at).append(placeholder(Kind.NAME, name));
                    last = end;
                    at = out.indexOf(name, end);
                } else {
                    at = out.indexOf(name, at + 1);
                }
            }
            if (replaced != null) out = replaced.append(out, last, out.length()).toString();
        }
        return out;
    }

    // The pattern may run on into the next word or number: the longest prefix that is a valid IBAN is the IBAN.
    private String ibans(String text) {
        Matcher matcher = IBAN.matcher(text);
        StringBuilder out = null;
        int last = 0;
        int from = 0;
        while (from < text.length() && matcher.find(from)) {
            String written = matcher.group();
            int end = -1;
            String compact = null;
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < written.length(); i++) {
                char c = written.charAt(i);
                if (c == ' ' || c == '-') continue;
                prefix.append(Character.toUpperCase(c));
                boolean wordEnds = i + 1 == written.length() || !Character.isLetterOrDigit(written.charAt(i + 1))
                        || prefix.length() % 4 == 0;
                if (prefix.length() >= 15 && wordEnds && IBANS.isValid(prefix.toString())) {
                    end = i + 1;
                    compact = prefix.toString();
                }
            }
            if (end < 0) {
                from = matcher.start() + 1;
                continue;
            }
            if (out == null) out = new StringBuilder(text.length());
            out.append(text, last, matcher.start()).append(placeholder(Kind.IBAN, compact));
            last = matcher.start() + end;
            from = last;
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private static String dni(Matcher match) {
        int number = Integer.parseInt(match.group(1));
        char letter = Character.toUpperCase(match.group(2).charAt(0));
        return DNI_LETTERS.charAt(number % 23) == letter ? match.group(1) + letter : null;
    }

    private static String nie(Matcher match) {
        char prefix = Character.toUpperCase(match.group(1).charAt(0));
        int number = Integer.parseInt((prefix - 'X') + match.group(2));
        char letter = Character.toUpperCase(match.group(3).charAt(0));
        return DNI_LETTERS.charAt(number % 23) == letter ? prefix + match.group(2) + letter : null;
    }

    // CIF: the control character is computed from the seven digits (odd positions doubled, digits summed); letter
    // organisation types take it as a letter (J=0 ... A=1..), others as a digit, some either.
    private static String cif(Matcher match) {
        char type = Character.toUpperCase(match.group(1).charAt(0));
        String digits = match.group(2);
        char control = Character.toUpperCase(match.group(3).charAt(0));
        int even = 0;
        int odd = 0;
        for (int i = 0; i < 7; i++) {
            int d = digits.charAt(i) - '0';
            if (i % 2 == 0) {
                int doubled = d * 2;
                odd += doubled / 10 + doubled % 10;
            } else {
                even += d;
            }
        }
        int check = (10 - (even + odd) % 10) % 10;
        char asLetter = "JABCDEFGHI".charAt(check);
        char asDigit = (char) ('0' + check);
        boolean letterOnly = "KPQRSNW".indexOf(type) >= 0;
        boolean digitOnly = "ABEH".indexOf(type) >= 0;
        boolean valid = letterOnly ? control == asLetter : digitOnly ? control == asDigit
                : control == asLetter || control == asDigit;
        return valid ? type + digits + control : null;
    }
}

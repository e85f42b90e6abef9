package com.soportemax.privacy;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import org.apache.commons.validator.routines.EmailValidator;
import org.apache.commons.validator.routines.IBANValidator;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
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
 * prefix, then any number written in international form), and people's names: those given after "me llamo",
 * "mi nombre es", "soy", "a nombre de", "my name is", "I am", after a title ("Sr. García", "doña Carmen"), in a
 * greeting or thanks ("Hola María, …", "Gracias, Pedro.") and in a signature ("Un saludo, Pedro"), always
 * capitalised words; once learned, a name is replaced wherever it appears in the conversation, in any case and with
 * or without accents. Made with a {@link NameLexicon}, it also finds the names no cue announces ("mi marido Pedro
 * García no puede entrar", "Please tell John Smith"), by what a Spanish and English lexicon says of each capitalised
 * word ({@link UncuedNames}); a name that is also a common word ("Rosa", "Luz") is then replaced only where it is
 * written capitalised, so the colour "rosa" stays.
 */
public final class Redactor {

    /** The kinds of personal data, named as their placeholders are. */
    public enum Kind { EMAIL, IBAN, CARD, DNI, NIE, CIF, PHONE, NAME, AGENT }

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
    // A person's name as people write it: one to four capitalised words (particles "de", "de la", "del" between them),
    // each a whole word, so "SoporteMax" or "iPhone" never start one.
    private static final String NAME_WORDS = "(\\p{Lu}[\\p{Ll}'’-]+(?![\\p{L}\\d])"
            + "(?:\\s+(?:(?:de|del|de\\s+la|de\\s+los|y)\\s+)?\\p{Lu}[\\p{Ll}'’-]+(?![\\p{L}\\d])){0,3})";
    /** Someone introducing themselves or naming the holder of something: "me llamo Ana", "a nombre de Juan Pérez". */
    private static final Pattern INTRODUCTION = Pattern.compile(
            "(?<![\\p{L}])(?i:me llamo|mi nombre es|soy|a nombre de|my name is|i am|i'm|in the name of)\\s+" + NAME_WORDS);
    /** A title before a name: "Sr. García", "doña Carmen", "Mrs Smith". */
    private static final Pattern HONORIFIC = Pattern.compile(
            "(?<![\\p{L}])(?:(?i:sr|sra|srta|dña|mr|mrs|ms|dr|dra)\\.?|(?i:señor|señora|señorita|doña|miss)|Don|D\\.)\\s+"
                    + NAME_WORDS);
    /**
     * A greeting or thanks addressed to someone, the name closed by punctuation or the end: "Hola María, …",
     * "Gracias, Pedro." ("Hola, buenos días" has no capitalised word there; "Hola Quiero saber…" runs on).
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "(?<![\\p{L}])(?i:hola|buenos días|buenas tardes|buenas noches|buenas|gracias|muchas gracias|estimad[oa]|"
                    + "querid[oa]|hello|hi|hey|dear|thanks|thank you|good morning|good afternoon)\\s*,?\\s+" + NAME_WORDS
                    + "\\s*(?=[,.;:!?)\\n]|$)");
    /** A signature: a closing and a name ending the message ("Un saludo, Pedro", "Atentamente,\\nAna López"). */
    private static final Pattern SIGNATURE = Pattern.compile(
            "(?:^|[.!?\\n]\\s*)(?i:un saludo|saludos|un abrazo|atentamente|cordialmente|gracias|muchas gracias|"
                    + "best regards|kind regards|regards|cheers|thanks|sincerely)\\s*[,.]?\\s+" + NAME_WORDS
                    + "[\\s.!]*$");
    /** Capitalised words that follow those phrases without being names ("Hola Equipo,", "Soy Cliente Premium"). */
    private static final Set<String> NOT_NAMES = Set.copyOf(List.of(
            "buenos", "buenas", "bienvenido", "bienvenida", "gracias", "hola", "equipo", "soporte", "igualmente",
            "todos", "todas", "amigo", "amiga", "amigos", "cliente", "clientes", "usted", "ustedes", "vosotros",
            "compañero", "compañera", "nuevo", "nueva", "socio", "socia", "premium", "de", "del", "la", "el", "los",
            "las", "un", "una", "yo", "aqui", "aquí", "dias", "días", "tardes", "noches", "saludos", "perdon",
            "perdón", "disculpa", "disculpe", "vale", "ok", "si", "sí", "no", "por", "muy", "tu", "su", "mi",
            "there", "all", "everyone", "team", "again", "support", "customer", "sir", "madam", "the", "a", "an",
            "not", "very", "so", "just", "new", "here", "sorry", "please", "ok", "okay", "yes", "good", "fine",
            "atencion", "servicio", "tienda", "pedido", "sr", "sra", "srta", "don", "dona", "dna", "senor", "senora",
            "senorita", "mr", "mrs", "ms", "miss", "dr", "dra", "d",
            // Feasts, capitalised common words that the lexicon also knows as given names ("Navidad", "Pascua").
            "navidad", "navidades", "nochebuena", "nochevieja", "pascua", "pascuas", "reyes", "carnaval",
            "christmas", "easter"));

    // Placeholders already in a text are never redacted again.
    private static final Pattern PLACEHOLDER = Pattern.compile("<(?:EMAIL|IBAN|CARD|DNI|NIE|CIF|PHONE|NAME|AGENT)_\\d+>");

    private final Map<Kind, Map<String, String>> placeholders = new EnumMap<>(Kind.class);
    // Learned names as folded (lower case, no accents) -> the folded full name whose placeholder they get; the
    // parts of a full name ("Lucía" of "Lucía Fernández") get the full name's. Longest first when replacing.
    private final Map<String, String> names = new LinkedHashMap<>();
    private List<String> longestFirst = List.of();
    // The texts already learned from (the very objects): callers learn a whole conversation first, then redact it.
    private final Set<String> learnedFrom = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final NameLexicon lexicon;
    // Texts learned from whose words the lexicon has not yet been asked about: asked all at once, at the next redact.
    private final List<String> unanalysed = new ArrayList<>();
    // The folded full names of the staff who wrote in the conversation: their placeholders are AGENT, not NAME.
    private final Set<String> staff = new java.util.HashSet<>();
    // Learned one-word names that are common words too ("rosa"): replaced only where written capitalised.
    private final Set<String> capitalisedOnly = new java.util.HashSet<>();
    // What the lexicon said of each capitalised word analysed so far (folded word -> NameLexicon flags).
    private final Map<String, Byte> wordFlags = new java.util.HashMap<>();

    private Redactor(NameLexicon lexicon) {
        this.lexicon = lexicon;
    }

    /**
     * A redactor for one conversation that finds names by their cues only (no lexicon): its placeholders start at 1.
     * What leaves the platform is redacted with {@link #forConversation(NameLexicon)}.
     */
    public static Redactor forConversation() {
        return new Redactor(NameLexicon.NONE);
    }

    /** A redactor for one conversation that also finds the names no cue announces, from {@code lexicon}. */
    public static Redactor forConversation(NameLexicon lexicon) {
        return new Redactor(lexicon == null ? NameLexicon.NONE : lexicon);
    }

    /**
     * Remembers the names {@code text} gives or addresses without changing anything, so that a mention elsewhere
     * in the conversation (before or after, by the customer, an agent or a correction) is replaced too. Callers
     * learn from every text of a conversation before redacting the first.
     */
    public void learnNames(String text) {
        if (text == null || !learnedFrom.add(text)) return;
        if (lexicon != NameLexicon.NONE) unanalysed.add(text);
        if (!mayHoldAName(text)) return;
        for (Pattern pattern : List.of(INTRODUCTION, HONORIFIC, ADDRESS, SIGNATURE)) {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                learn(matcher.group(1));
            }
        }
    }

    /**
     * Remembers the name of a staff member who wrote in this conversation (an agent's display name, "Laura Gómez"):
     * staff data, not the customer's, so wherever it or a part of it appears in the conversation's texts ("Soy
     * Laura, del equipo de soporte", the customer's "Gracias, Laura") it becomes the staff placeholder
     * ({@code <AGENT_1>}), never a customer's {@code <NAME_n>}, and a dataset does not teach a model to sign as a
     * colleague. Call it before learning names from the texts: where a customer shares the agent's given name, that
     * word stays the agent's (it is replaced all the same).
     */
    public void learnStaffName(String displayName) {
        if (displayName == null || displayName.isBlank() || displayName.indexOf('@') >= 0) return;
        learn(displayName.strip(), true);
    }

    private void learn(String written) {
        learn(written, false);
    }

    private void learn(String written, boolean staffMember) {
        List<String> words = new ArrayList<>();
        for (String word : written.split("\\s+")) {
            String folded = fold(word);
            if (NOT_NAMES.contains(folded) && !isParticle(folded)) break;
            words.add(word);
        }
        while (!words.isEmpty() && isParticle(fold(words.getLast()))) words.removeLast();
        while (!words.isEmpty() && isParticle(fold(words.getFirst()))) words.removeFirst();
        if (words.isEmpty()) return;
        String full = fold(String.join(" ", words));
        if (names.containsKey(full)) return;
        names.put(full, full);
        if (staffMember) staff.add(full);
        Map<String, String> given = placeholders.getOrDefault(Kind.NAME, Map.of());
        for (String word : words) {
            String part = fold(word);
            if (part.length() < 3 || isParticle(part)) continue;
            if (!staffMember && staff.contains(names.get(part))) continue;
            // A name learned alone ("Pedro") is the same person as the full name learned later ("Pedro García"),
            // unless its placeholder is already out.
            if (part.equals(names.get(part)) && !given.containsKey(part)) names.put(part, full);
            else names.putIfAbsent(part, full);
        }
        longestFirst = names.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * Asks the lexicon about the capitalised words of every text learned from since the last time (one call for all
     * of them) and learns the names they make; marks the learned names that are common words too.
     */
    private void learnUncuedNames() {
        if (unanalysed.isEmpty()) return;
        List<String> texts = List.copyOf(unanalysed);
        unanalysed.clear();
        if (!lexicon.available()) return;
        Map<String, List<UncuedNames.Run>> runs = new LinkedHashMap<>();
        Set<String> distinct = new java.util.LinkedHashSet<>();
        for (String text : texts) {
            List<UncuedNames.Run> found = UncuedNames.runs(text);
            runs.put(text, found);
            found.forEach(run -> distinct.add(run.text()));
        }
        if (distinct.isEmpty()) return;
        Map<String, byte[]> readings = lexicon.readings(distinct);
        readings.forEach((run, flags) -> {
            List<int[]> words = UncuedNames.words(run);
            for (int i = 0; i < words.size() && i < flags.length; i++) {
                wordFlags.merge(fold(run.substring(words.get(i)[0], words.get(i)[1])), flags[i], (a, b) -> (byte) (a | b));
            }
        });
        // What follows a given name that is a common word too, opening a sentence: asked only of those (few) runs.
        Set<String> following = new java.util.HashSet<>();
        for (List<UncuedNames.Run> textRuns : runs.values()) {
            for (UncuedNames.Run run : textRuns) {
                if (UncuedNames.opensWithAnAmbiguousGivenName(run, readings.get(run.text()))) following.add(run.verb());
            }
        }
        Set<String> verbs = following.isEmpty() ? Set.of() : lexicon.personVerbs(following);
        for (List<UncuedNames.Run> textRuns : runs.values()) {
            for (UncuedNames.Found name : UncuedNames.find(textRuns, readings,
                    word -> NOT_NAMES.contains(word) || lexicon.notAName(word) || companyWordOnlyANameElsewhere(word),
                    verbs::contains, lexicon::companyWord)) {
                learn(name.written());
            }
        }
        for (String name : names.keySet()) {
            Byte flags = wordFlags.get(name);
            if (flags != null && (flags & (NameLexicon.NOUN | NameLexicon.OTHER)) != 0) capitalisedOnly.add(name);
        }
    }

    private static boolean isParticle(String folded) {
        return folded.equals("de") || folded.equals("del") || folded.equals("la") || folded.equals("los")
                || folded.equals("y");
    }

    /** The text with every piece of personal data replaced by its placeholder. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        learnNames(text);
        learnUncuedNames();
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

    // A cheap test before the patterns run: every one of them needs an upper-case letter after a space, and one
    // of these stems (most messages have none).
    private static final List<String> NAME_CUES = List.of("soy", "llamo", "nombre", "name", "i am", "i'm", "sr",
            "se\u00f1or", "do\u00f1a", "dña", "don ", "d. ", "mr", "ms", "miss", "dr", "hola", "buen", "gracias",
            "estimad", "querid", "hello", "hi ", "hi,", "hey", "dear", "thank", "morning", "afternoon", "salud",
            "abrazo", "atentamente", "cordialmente", "regards", "best", "cheers", "sincerely");

    private static boolean mayHoldAName(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        for (String cue : NAME_CUES) {
            if (lower.contains(cue)) return true;
        }
        return false;
    }

    // Lower case without accents, one char for one char (Latin letters decompose to a base letter and marks), so
    // positions in the folded text are positions in the original.
    private static final char[] FOLDED = new char[0x250];

    static {
        for (char c = 0; c < FOLDED.length; c++) {
            String decomposed = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
            FOLDED[c] = Character.toLowerCase(decomposed.charAt(0));
        }
    }

    /**
     * A word the lexicons know only as a name ("Bono") that the company's articles write in lower case ("el bono
     * social") is the company's word. A word that is a common word too ("Rosa", "Luz") keeps its own rule
     * (capitalised mid-sentence, a name), whatever the articles say: "la funda rosa" there must not unmask "mi hija Rosa".
     */
    private boolean companyWordOnlyANameElsewhere(String folded) {
        Byte flags = wordFlags.get(folded);
        return flags != null && (flags & (NameLexicon.NOUN | NameLexicon.OTHER)) == 0 && lexicon.companyWord(folded);
    }

    static String fold(String text) {
        char[] out = new char[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            out[i] = c < FOLDED.length ? FOLDED[c] : Character.toLowerCase(c);
        }
        return new String(out);
    }

    // Every mention of a learned name as a whole word, whatever its case and accents ("ANA", "Lucia" for "Lucía"),
    // longest names first so "Lucía Fernández" is one placeholder. A plain search of the folded text rather than
    // patterns compiled per name: one redactor per conversation, so compiled patterns would never be reused.
    private String names(String text) {
        if (names.isEmpty()) return text;
        String folded = fold(text);
        boolean[] taken = null;
        java.util.TreeMap<Integer, int[]> found = new java.util.TreeMap<>();
        for (String name : longestFirst) {
            int at = folded.indexOf(name);
            while (at >= 0) {
                int end = at + name.length();
                boolean whole = (at == 0 || !Character.isLetterOrDigit(text.codePointBefore(at)) && text.charAt(at - 1) != '_')
                        && (end == text.length() || !Character.isLetterOrDigit(text.codePointAt(end)))
                        && (!capitalisedOnly.contains(name) || Character.isUpperCase(text.charAt(at)));
                if (whole) {
                    if (taken == null) taken = new boolean[text.length()];
                    boolean free = true;
                    for (int i = at; i < end && free; i++) free = !taken[i];
                    if (free) {
                        for (int i = at; i < end; i++) taken[i] = true;
                        found.put(at, new int[]{end, longestFirst.indexOf(name)});
                    }
                }
                at = folded.indexOf(name, at + 1);
            }
        }
        if (found.isEmpty()) return text;
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (Map.Entry<Integer, int[]> span : found.entrySet()) {
            String name = longestFirst.get(span.getValue()[1]);
            String full = names.get(name);
            out.append(text, last, span.getKey()).append(placeholder(staff.contains(full) ? Kind.AGENT : Kind.NAME, full));
            last = span.getValue()[0];
        }
        return out.append(text, last, text.length()).toString();
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

package com.soportemax.privacy;

import org.apache.commons.validator.routines.checkdigit.LuhnCheckDigit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks payment-card numbers at ingest: a run of 13 to 19 digits (spaces or dashes allowed between them) that passes
 * the Luhn check becomes {@code •••• •••• •••• 6467}, keeping only the last four digits, which customers and agents
 * use to tell cards apart. Digit runs that fail the check (order numbers, phone numbers) are left alone.
 */
public final class CardMask {

    // A whole run: no digit (or digit and separator) right before or after, so part of a longer number never matches.
    static final Pattern CANDIDATE = Pattern.compile("(?<!\\d[ -]?)\\d(?:[ -]?\\d){12,18}(?![ -]?\\d)");
    static final String MASK = "•••• •••• •••• ";

    private CardMask() {
    }

    /** The text with every Luhn-valid card number masked; the same text when there is none. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) return text;
        Matcher matcher = CANDIDATE.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (matcher.find()) {
            String digits = digitsOf(matcher.group());
            if (!isCardNumber(digits)) continue;
            if (out == null) out = new StringBuilder(text.length());
            out.append(text, last, matcher.start()).append(MASK).append(digits, digits.length() - 4, digits.length());
            last = matcher.end();
        }
        if (out == null) return text;
        return out.append(text, last, text.length()).toString();
    }

    static boolean isCardNumber(String digits) {
        return digits.length() >= 13 && digits.length() <= 19 && LuhnCheckDigit.LUHN_CHECK_DIGIT.isValid(digits);
    }

    static String digitsOf(String run) {
        StringBuilder digits = new StringBuilder(run.length());
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (c >= '0' && c <= '9') digits.append(c);
        }
        return digits.toString();
    }
}

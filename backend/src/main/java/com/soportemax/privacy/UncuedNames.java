package com.soportemax.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.soportemax.privacy.NameLexicon.GIVEN;
import static com.soportemax.privacy.NameLexicon.NOUN;
import static com.soportemax.privacy.NameLexicon.OTHER;
import static com.soportemax.privacy.NameLexicon.PLACE;
import static com.soportemax.privacy.NameLexicon.SURNAME;

/**
 * People's names that no cue announces, decided from what the lexicon says of each capitalised word and where it
 * stands. Text is cut into runs of capitalised words (joined by spaces, a hyphen, or particles such as "de la"); a
 * word of a run is part of a name when
 * <ul>
 * <li>the lexicon knows it only as a given name or surname ("Pedro", "García"), wherever it stands;</li>
 * <li>it is also a common word ("Rosa", "Luz", "Smith"), and it is capitalised mid-sentence or stands next to another
 * name part; but not when it stands next to a capitalised common word, as in a title or product ("Black Friday",
 * "Ingreso Mínimo Vital"), nor alone after "en" or "in", where it is a place the lexicon lacks ("en Valencia");</li>
 * <li>it is also a place, an organisation or a brand ("London", "Apple"), and it stands next to a word that can only
 * be a name part;</li>
 * <li>the lexicon does not know it or knows it only as a noun, and it follows a name part whose run began with a given
 * name, or a hyphen joins it to a name part (surnames the lexicon lacks: "Carmen Ortega", "Pérez-Reverte");</li>
 * <li>it is a given name that is also a common word opening a sentence alone, and it is the subject of a verb a
 * person does, right after it or after an unstressed pronoun ("Pilar llamó ayer", "Rosa me dijo…"; not "Rosa o azul",
 * "Rosa es mi color", "Luz me da problemas");</li>
 * <li>it is such a given name followed by a capitalised word the lexicon knows only as a Spanish noun, or not at
 * all: a surname that is a common word ("Rosa Castillo"), mid-sentence or, opening one, as a subject;</li>
 * </ul>
 * In a run written in capitals ("MARÍA GARCÍA LÓPEZ") capitals tell nothing: a word is a part when the lexicon knows
 * it only as a name, or as a name and a common word beside such a word; "FACTURA", "IBAN", "WIFI" never are.
 * The name parts standing together are one name ("María José Pérez López").
 */
final class UncuedNames {

    private UncuedNames() {
    }

    /**
     * A capitalised word ("Pedro", "O'Brien", "D'Angelo") or a word in capitals of two letters or more ("MARÍA",
     * "DNI"); never "iPhone", "SoporteMax" or "I".
     */
    private static final Pattern WORD = Pattern.compile(
            "(?<![\\p{L}\\p{N}_'’])\\p{Lu}(?:\\p{Ll}+(?:['’]\\p{Lu}?\\p{Ll}+)?|['’]\\p{Lu}\\p{Ll}+|\\p{Lu}+)(?![\\p{L}\\p{N}_@'’])");
    /** The words after a run: lower case letters, after spaces only ("Rosa me dijo": "me", "dijo"). */
    private static final Pattern NEXT = Pattern.compile(
            "[ \\t\\u00a0]+(\\p{Ll}+)(?![\\p{L}\\p{N}_@])(?:[ \\t\\u00a0]+(\\p{Ll}+)(?![\\p{L}\\p{N}_@]))?");
    /**
     * Unstressed pronouns that stand only before a verb: a word opening a sentence right before one is its subject
     * ("Rosa me dijo que…"). Not "lo", "la", "los", "las": articles too.
     */
    private static final java.util.Set<String> CLITICS = java.util.Set.of("me", "te", "le", "les", "nos", "os", "se");
    /** What may stand between two words of one name. */
    private static final Pattern JOINER = Pattern.compile(
            "[ \\t\\u00a0]+|-|[ \\t\\u00a0]+(?:de|del|de la|de las|de los|van|von|van der|van den|da|das|do|dos|di|du)[ \\t\\u00a0]+");
    private static final String SENTENCE_ENDS = ".!?…:;\n\r";
    private static final String OPENERS = " \t\u00a0¿¡\"'«“‘([*•-";

    /**
     * One run of capitalised words in a text (all of them written in capitals, or none): where it starts and ends,
     * whether it opens a sentence, whether it follows "en" or "in", and the lower-case words right after it (null when
     * punctuation or nothing follows).
     */
    record Run(int start, int end, String text, boolean opensSentence, boolean afterIn, String next, String afterNext) {

        /** Whether the run is written in capitals ("MARÍA GARCÍA"): capitals tell nothing of names there. */
        boolean capitals() {
            return inCapitals(text, 0, text.length());
        }

        /**
         * The word that would be the verb of a run that is its subject: the next word, or the one after an unstressed
         * pronoun ("Rosa me dijo": "dijo"); null when none.
         */
        String verb() {
            return next != null && CLITICS.contains(next) ? afterNext : next;
        }
    }

    /** A name found: its span in the text, and as written. */
    record Found(int start, int end, String written) {
    }

    /** The capitalised words of {@code text}, each as {start, end}. */
    static List<int[]> words(String text) {
        List<int[]> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(new int[]{matcher.start(), matcher.end()});
        }
        return words;
    }

    /** The runs of capitalised words of {@code text}, leaving out e-mail addresses and web addresses. */
    static List<Run> runs(String text) {
        List<Run> runs = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (int[] word : words(text)) {
            if (insideAnAddress(text, word[0], word[1])) continue;
            if (start >= 0 && JOINER.matcher(text).region(end, word[0]).matches()
                    && inCapitals(text, start, end) == inCapitals(text, word[0], word[1])) {
                end = word[1];
                continue;
            }
            if (start >= 0) runs.add(run(text, start, end));
            start = word[0];
            end = word[1];
        }
        if (start >= 0) runs.add(run(text, start, end));
        return runs;
    }

    private static Run run(String text, int start, int end) {
        Matcher next = NEXT.matcher(text).region(end, text.length()).useTransparentBounds(true);
        boolean followed = next.lookingAt();
        return new Run(start, end, text.substring(start, end), opensSentence(text, start), IN.matcher(text)
                .useTransparentBounds(true).region(Math.max(0, start - 4), start).find(),
                followed ? next.group(1) : null, followed ? next.group(2) : null);
    }

    /** Whether the words between {@code start} and {@code end} have no lower-case letter (and at least two letters). */
    static boolean inCapitals(String text, int start, int end) {
        int letters = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isLowerCase(c)) return false;
            if (Character.isLetter(c)) letters++;
        }
        return letters >= 2;
    }

    private static final Pattern IN = Pattern.compile("(?<![\\p{L}])(?:en|in)[ \\t\\u00a0]+$");

    private static boolean opensSentence(String text, int at) {
        for (int i = at - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (SENTENCE_ENDS.indexOf(c) >= 0) return true;
            if (OPENERS.indexOf(c) < 0) return false;
        }
        return true;
    }

    private static boolean insideAnAddress(String text, int start, int end) {
        int from = start;
        while (from > 0 && !Character.isWhitespace(text.charAt(from - 1))) from--;
        int to = end;
        while (to < text.length() && !Character.isWhitespace(text.charAt(to))) to++;
        String chunk = text.substring(from, to);
        return chunk.indexOf('@') >= 0 || chunk.contains("://") || chunk.startsWith("www.")
                || chunk.matches(".*\\p{L}\\.\\p{L}{2,}.*");
    }

    /**
     * Whether {@code run} is a candidate for the sentence-opening rule: it opens a sentence, its first word is a given
     * name that is a common word too ("Rosa", "Pilar"), and a lower-case word follows it (whether that word is a
     * verb only a person does decides: {@link Run#verb()}).
     */
    static boolean opensWithAnAmbiguousGivenName(Run run, byte[] flags) {
        return run.opensSentence() && !run.capitals() && run.verb() != null && flags != null && flags.length > 0
                && (flags[0] & GIVEN) != 0 && (flags[0] & (NOUN | OTHER)) != 0 && (flags[0] & PLACE) == 0;
    }

    /**
     * The names among {@code runs} of one text.
     *
     * @param readings   what the lexicon says of each word of each run (a run missing was not analysed)
     * @param notNames   folded words never taken for names
     * @param personVerb  whether a lower-case word is a verb that takes a person for its subject ("llamó", "dijo")
     * @param companyWord whether the company's articles write a folded word in lower case
     */
    static List<Found> find(List<Run> runs, Map<String, byte[]> readings, Predicate<String> notNames,
                            Predicate<String> personVerb, Predicate<String> companyWord) {
        List<Found> found = new ArrayList<>();
        for (Run run : runs) {
            byte[] flags = readings.get(run.text());
            if (flags == null) continue;
            List<int[]> words = words(run.text());
            if (words.size() != flags.length) continue;
            int n = words.size();
            boolean[] excluded = new boolean[n];
            for (int i = 0; i < n; i++) {
                excluded[i] = notNames.test(Redactor.fold(run.text().substring(words.get(i)[0], words.get(i)[1])));
            }
            boolean[] part = run.capitals() ? capitalsParts(run, flags, excluded)
                    : parts(run, flags, excluded, personVerb, companyWord);
            for (int i = 0; i < n; i++) {
                if (!part[i]) continue;
                int j = i;
                while (j < n && part[j]) j++;
                int start = words.get(i)[0];
                int end = words.get(j - 1)[1];
                found.add(new Found(run.start() + start, run.start() + end, run.text().substring(start, end)));
                i = j - 1;
            }
        }
        return found;
    }

    /** The name parts of a run of capitalised words. */
    private static boolean[] parts(Run run, byte[] flags, boolean[] excluded, Predicate<String> personVerb,
                                   Predicate<String> companyWord) {
        List<int[]> words = words(run.text());
        int n = flags.length;
        // The run is the subject of what follows it: "Rosa me dijo…", "Pilar llamó ayer", "Rosa Castillo llamó".
        boolean subject = run.verb() != null && personVerb.test(run.verb());
        boolean[] part = new boolean[n];
        for (int i = 0; i < n; i++) {
            part[i] = isPart(i, flags, excluded, run.opensSentence());
            if (i == 0 && n == 1 && run.afterIn() && (flags[i] & (NOUN | OTHER)) != 0) part[i] = false;
        }
        // A given name that is a common word too, alone opening a sentence, is a name when it is the subject of a
        // verb only a person does ("Pilar llamó ayer", "Rosa me dijo"), not of "es", "funciona", "o" ("Rosa o azul"),
        // and not when the company's articles write it in lower case ("Luz" for an energy company).
        if (n == 1 && !part[0] && !excluded[0] && subject && opensWithAnAmbiguousGivenName(run, flags)
                && !companyWord.test(Redactor.fold(run.text()))) {
            part[0] = true;
        }
        // A given name that is a common word too, then a capitalised word the lexicon knows only as a noun or not at
        // all, is a given name and a surname ("me atendió Rosa Castillo"): not beside a capitalised common word
        // ("la Funda Rosa Palo"), not after "en", and opening a sentence only as a subject ("Rosa Castillo llamó").
        for (int i = 0; i + 1 < n; i++) {
            if (part[i] || excluded[i] || excluded[i + 1] || (flags[i] & GIVEN) == 0 || (flags[i] & PLACE) != 0) continue;
            // Only a noun, and not an English one: "Rose Street", "Victoria Park" are places.
            if (flags[i + 1] != NOUN && flags[i + 1] != 0) continue;
            if (i == 0 && run.afterIn()) continue;
            if (titleWord(i - 1, flags, excluded, run.opensSentence())) continue;
            if (i + 2 < n && !isName(i + 2, flags, excluded)) continue;
            boolean opening = i == 0 && run.opensSentence();
            if (opening && !(subject && i + 2 == n)) continue;
            part[i] = true;
            part[i + 1] = true;
        }
        // Surnames the lexicon lacks, after a name part.
        boolean startedWithGiven = false;
        int added = 0;
        for (int i = 0; i < n; i++) {
            if (part[i]) {
                if (i == 0 || !part[i - 1]) startedWithGiven = (flags[i] & GIVEN) != 0;
                added = 0;
                continue;
            }
            if (i == 0 || !part[i - 1] || added == 2 || excluded[i] || (flags[i] & (PLACE | OTHER)) != 0) continue;
            boolean hyphen = run.text().charAt(words.get(i)[0] - 1) == '-';
            if (hyphen || startedWithGiven) {
                part[i] = true;
                added++;
            }
        }
        return part;
    }

    /**
     * The name parts of a run written in capitals ("MARÍA GARCÍA LÓPEZ", "FACTURA", "IBAN"): capitals tell nothing, so
     * a word is a name part only when the lexicon knows it only as a name, or as a name and a common word beside such
     * a word ("ROSA GARCÍA", not "FUNDA ROSA"); a word the lexicon lacks is a surname only after a surname ("MARÍA
     * GARCÍA ZUBIZARRETA", not "MARÍA WIFI").
     */
    private static boolean[] capitalsParts(Run run, byte[] flags, boolean[] excluded) {
        int n = flags.length;
        boolean[] part = new boolean[n];
        for (int i = 0; i < n; i++) {
            part[i] = onlyAName(i, flags, excluded) || isName(i, flags, excluded)
                    && (onlyAName(i - 1, flags, excluded) || onlyAName(i + 1, flags, excluded));
        }
        for (int i = 1; i < n; i++) {
            if (!part[i] && part[i - 1] && flags[i] == 0 && !excluded[i] && (flags[i - 1] & SURNAME) != 0) {
                part[i] = true;
                break;
            }
        }
        return part;
    }
    private static boolean isName(int i, byte[] flags, boolean[] excluded) {
        return i >= 0 && i < flags.length && !excluded[i] && (flags[i] & (GIVEN | SURNAME)) != 0;
    }

    private static boolean onlyAName(int i, byte[] flags, boolean[] excluded) {
        return isName(i, flags, excluded) && (flags[i] & (NOUN | OTHER | PLACE)) == 0;
    }

    /** A capitalised word that is no name part and not the first of its sentence: "Friday" of "el Black Friday". */
    private static boolean titleWord(int i, byte[] flags, boolean[] excluded, boolean opensSentence) {
        return i >= 0 && i < flags.length && !(i == 0 && opensSentence) && !isName(i, flags, excluded)
                && !excluded[i] && (flags[i] & (NOUN | OTHER | PLACE)) != 0;
    }

    private static boolean isPart(int i, byte[] flags, boolean[] excluded, boolean opensSentence) {
        if (!isName(i, flags, excluded)) return false;
        if ((flags[i] & PLACE) != 0) {
            return onlyAName(i - 1, flags, excluded) || onlyAName(i + 1, flags, excluded);
        }
        if ((flags[i] & (NOUN | OTHER)) != 0) {
            if (titleWord(i - 1, flags, excluded, opensSentence) || titleWord(i + 1, flags, excluded, opensSentence)) {
                return false;
            }
            boolean midSentence = i > 0 || !opensSentence;
            return midSentence || isName(i - 1, flags, excluded) || isName(i + 1, flags, excluded);
        }
        return true;
    }
}

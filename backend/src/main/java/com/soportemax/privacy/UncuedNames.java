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
 * name, or a hyphen joins it to a name part (surnames the lexicon lacks: "Carmen Ortega", "Pérez-Reverte").</li>
 * </ul>
 * The name parts standing together are one name ("María José Pérez López").
 */
final class UncuedNames {

    private UncuedNames() {
    }

    /** A capitalised word: "Pedro", "O'Brien", "D'Angelo"; never "iPhone", "SoporteMax", "DNI" or "I". */
    private static final Pattern WORD = Pattern.compile(
            "(?<![\\p{L}\\p{N}_'’])\\p{Lu}(?:\\p{Ll}+(?:['’]\\p{Lu}?\\p{Ll}+)?|['’]\\p{Lu}\\p{Ll}+)(?![\\p{L}\\p{N}_@'’])");
    /** What may stand between two words of one name. */
    private static final Pattern JOINER = Pattern.compile(
            "[ \\t\\u00a0]+|-|[ \\t\\u00a0]+(?:de|del|de la|de las|de los|van|von|van der|van den|da|das|do|dos|di|du)[ \\t\\u00a0]+");
    private static final String SENTENCE_ENDS = ".!?…:;\n\r";
    private static final String OPENERS = " \t\u00a0¿¡\"'«“‘([*•-";

    /**
     * One run of capitalised words in a text: where it starts and ends, whether it opens a sentence and whether it
     * follows "en" or "in".
     */
    record Run(int start, int end, String text, boolean opensSentence, boolean afterIn) {
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
            if (start >= 0 && JOINER.matcher(text).region(end, word[0]).matches()) {
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
        return new Run(start, end, text.substring(start, end), opensSentence(text, start), IN.matcher(text)
                .useTransparentBounds(true).region(Math.max(0, start - 4), start).find());
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
     * The names among {@code runs} of one text.
     *
     * @param readings what the lexicon says of each word of each run (a run missing was not analysed)
     * @param notNames folded words never taken for names
     */
    static List<Found> find(List<Run> runs, Map<String, byte[]> readings, Predicate<String> notNames) {
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
            boolean[] part = new boolean[n];
            for (int i = 0; i < n; i++) {
                part[i] = isPart(i, flags, excluded, run.opensSentence());
                if (i == 0 && n == 1 && run.afterIn() && (flags[i] & (NOUN | OTHER)) != 0) part[i] = false;
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

package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.internal.TextAnalysis.Language;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An in-memory inverted index of the passages, ranked with BM25F: each term's frequency is summed over the fields of
 * a passage, each field weighted and normalised by its length, then saturated once (Robertson & Zaragoza, "The
 * Probabilistic Relevance Framework: BM25 and Beyond", 2009). Fields: the article's title and tags, the passage's
 * heading and body, and the rest of its article (weak: it lets a section be found by words of the article it is in).
 * Besides its words, a passage's body holds one term per fact of an {@link AnswerType} it states (a price, a time).
 * Immutable: a change of articles builds a new one.
 */
final class LexicalIndex {

    /** BM25F fields: weight and length normalisation (b). */
    enum Field {
        TITLE(3.0, 0.3), TAGS(2.0, 0.3), HEADING(2.0, 0.3), BODY(1.0, 0.75), ARTICLE(0.3, 0.75);

        final double weight;
        final double b;

        Field(double weight, double b) {
            this.weight = weight;
            this.b = b;
        }
    }

    static final double K1 = 1.2;
    private static final int FIELDS = Field.values().length;

    /** A passage as the index takes it. */
    record Source(UUID articleId, String externalId, int position, String title, String language, List<String> tags,
                  String heading, String body, String text, String articleBody) {
    }

    /** An indexed passage. */
    record Doc(int id, Source source, Language language, double[] lengths) {
    }

    private record Posting(int doc, double[] tf) {
    }

    private final List<Doc> docs;
    private final Map<String, List<Posting>> postings;
    private final double[] averageLengths;
    /** Per language, every topic word of the passages (folded, not stemmed) and how many passages hold it. */
    private final Map<Language, Map<String, Integer>> vocabulary;
    /** Every term, sorted: terms of one family share a prefix. */
    private final java.util.NavigableSet<String> terms;
    private final Map<Language, Long> perLanguage;

    private LexicalIndex(List<Doc> docs, Map<String, List<Posting>> postings, double[] averageLengths,
                         Map<Language, Map<String, Integer>> vocabulary) {
        this.docs = docs;
        this.postings = postings;
        this.averageLengths = averageLengths;
        this.vocabulary = vocabulary;
        this.terms = new java.util.TreeSet<>(postings.keySet());
        this.perLanguage = docs.stream().collect(java.util.stream.Collectors.groupingBy(Doc::language,
                java.util.stream.Collectors.counting()));
    }

    /**
     * Terms of the same word family as {@code stem}: those that differ from it only in its last letter or in what
     * follows it, or lack its last letter, for stems of at least 6 letters ("devolv" of "devolver" and "devolu" of
     * "devolución"; "fallec" of "fallecimiento" for the "falleci" of an unaccented "fallecio"). The stemmer removes
     * inflections, not derivations, and needs the accent of a verb's ending; this joins the commonest of both.
     */
    List<String> family(String stem, Language language) {
        if (stem.length() < 6 || TextAnalysis.isNumber(stem)) return List.of();
        String prefix = key(language, stem.substring(0, stem.length() - 1));
        List<String> family = new ArrayList<>();
        for (String term : terms.subSet(prefix, true, prefix + Character.MAX_VALUE, true)) {
            String other = term.substring(language.code().length() + 1);
            if (!other.equals(stem) && other.length() <= stem.length() + 3 && other.length() >= stem.length() - 1) {
                family.add(other);
            }
        }
        return family;
    }

    static LexicalIndex of(List<Source> sources) {
        List<Doc> docs = new ArrayList<>(sources.size());
        Map<String, List<Posting>> postings = new HashMap<>();
        Map<Language, Map<String, Integer>> vocabulary = new HashMap<>();
        double[] totals = new double[FIELDS];
        for (Source source : sources) {
            Language language = Language.of(source.language());
            int id = docs.size();
            String[] fieldTexts = {source.title(), String.join(" . ", source.tags()), source.heading(), source.body(),
                    rest(source)};
            double[] lengths = new double[FIELDS];
            Map<String, double[]> frequencies = new LinkedHashMap<>();
            java.util.Set<String> words = new java.util.HashSet<>();
            for (int f = 0; f < FIELDS; f++) {
                List<String> topic = TextAnalysis.topicWords(fieldTexts[f], language);
                lengths[f] = topic.size();
                totals[f] += topic.size();
                for (String word : topic) {
                    words.add(word);
                    String key = key(language, TextAnalysis.stem(word, language));
                    frequencies.computeIfAbsent(key, k -> new double[FIELDS])[f]++;
                }
            }
            String stating = source.heading() + "\n" + source.body();
            for (AnswerType type : AnswerType.values()) {
                int stated = type.statedIn(stating);
                if (stated > 0) {
                    frequencies.computeIfAbsent(key(language, type.term()), k -> new double[FIELDS])
                            [Field.BODY.ordinal()] += stated;
                }
            }
            Map<String, Integer> known = vocabulary.computeIfAbsent(language, l -> new HashMap<>());
            for (String word : words) {
                if (!TextAnalysis.isNumber(word)) known.merge(word, 1, Integer::sum);
            }
            frequencies.forEach((key, tf) -> postings.computeIfAbsent(key, k -> new ArrayList<>()).add(new Posting(id, tf)));
            docs.add(new Doc(id, source, language, lengths));
        }
        double[] averages = new double[FIELDS];
        for (int f = 0; f < FIELDS; f++) {
            averages[f] = docs.isEmpty() ? 1 : Math.max(1, totals[f] / docs.size());
        }
        return new LexicalIndex(List.copyOf(docs), postings, averages, vocabulary);
    }

    /** The article's body without this passage's own text, so its words are not counted twice. */
    private static String rest(Source source) {
        String article = source.articleBody() == null ? "" : source.articleBody();
        String own = source.text() == null ? "" : source.text();
        int at = own.isEmpty() ? -1 : article.indexOf(own);
        return at < 0 ? article : article.substring(0, at) + "\n" + article.substring(at + own.length());
    }

    private static String key(Language language, String stem) {
        return language.code() + ":" + stem;
    }

    /** How many passages are written in {@code language}. */
    long passagesIn(Language language) {
        return perLanguage.getOrDefault(language, 0L);
    }

    int size() {
        return docs.size();
    }

    Doc doc(int id) {
        return docs.get(id);
    }

    /** How many passages hold the term ({@code stem} in {@code language}). */
    int documentFrequency(Language language, String stem) {
        List<Posting> list = postings.get(key(language, stem));
        return list == null ? 0 : list.size();
    }

    /** BM25 inverse document frequency; a term no passage holds gets the highest value, that of df = 0. */
    double idf(int df) {
        int n = docs.size();
        return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    }

    /**
     * The closest word of the passages to a misspelt {@code word}: at most one edit (insertion, deletion,
     * substitution or swap of neighbours) for words of 5 to 8 letters, two from 9; the first letter stays, or
     * changes only as in common misspellings (b/v, c/k/q/s/z, g/j, i/y, a dropped h); ties go to the more frequent
     * word. Null when none is that close; shorter words are never corrected (too many words are one edit apart).
     */
    Correction correct(String word, Language language) {
        int length = word.length();
        if (length < 5 || TextAnalysis.isNumber(word)) return null;
        int maxEdits = length <= 8 ? 1 : 2;
        Map<String, Integer> known = vocabulary.getOrDefault(language, Map.of());
        String best = null;
        int bestDistance = maxEdits + 1;
        int bestDf = 0;
        for (Map.Entry<String, Integer> candidate : known.entrySet()) {
            String other = candidate.getKey();
            if (Math.abs(other.length() - length) > maxEdits || other.length() < 4 || !sameStart(word, other)) continue;
            int distance = EditDistance.at(word, other, Math.min(maxEdits, bestDistance));
            if (distance < bestDistance || (distance == bestDistance && candidate.getValue() > bestDf)) {
                if (distance <= maxEdits) {
                    best = other;
                    bestDistance = distance;
                    bestDf = candidate.getValue();
                }
            }
        }
        return best == null ? null : new Correction(best, bestDistance);
    }

    record Correction(String word, int edits) {
    }

    private static final List<String> CONFUSED_STARTS = List.of("bv", "ckqsz", "gj", "iy");

    private static boolean sameStart(String a, String b) {
        char x = a.charAt(0);
        char y = b.charAt(0);
        if (x == y || (x == 'h' && a.substring(1).startsWith(b.substring(0, 1)))
                || (y == 'h' && b.substring(1).startsWith(a.substring(0, 1)))) {
            return true;
        }
        for (String group : CONFUSED_STARTS) {
            if (group.indexOf(x) >= 0 && group.indexOf(y) >= 0) return true;
        }
        return false;
    }

    /** Whether the word itself (not a correction) is one of the passages' words. */
    boolean knows(String word, Language language) {
        return vocabulary.getOrDefault(language, Map.of()).containsKey(word);
    }

    /**
     * Adds {@code weight · idf · tf~ / (K1 + tf~)} to each passage of {@code language} that holds the term, where
     * {@code tf~ = Σ field weight · tf / (1 − b + b · length / average length)}; marks it in {@code matched}.
     */
    void accumulate(Language language, String stem, double weight, double idf, double[] scores, boolean[] matched) {
        List<Posting> list = postings.get(key(language, stem));
        if (list == null) return;
        for (Posting posting : list) {
            double[] lengths = docs.get(posting.doc()).lengths();
            double tf = 0;
            for (int f = 0; f < FIELDS; f++) {
                if (posting.tf()[f] == 0) continue;
                Field field = Field.values()[f];
                tf += field.weight * posting.tf()[f] / (1 - field.b + field.b * lengths[f] / averageLengths[f]);
            }
            scores[posting.doc()] += weight * idf * tf / (K1 + tf);
            if (matched != null) matched[posting.doc()] = true;
        }
    }

    /**
     * The saturated frequency of a term found once in a title and once in a body of average length: the score of
     * a term in a passage that clearly answers it, used to bring scores into [0, 1].
     */
    static double fullMatch() {
        double tf = Field.TITLE.weight + Field.BODY.weight;
        return tf / (K1 + tf);
    }

    /** Optimal string alignment distance (Levenshtein plus swaps of neighbours), bounded. */
    static final class EditDistance {

        private EditDistance() {
        }

        /** The distance, or {@code bound + 1} as soon as it must exceed {@code bound}. */
        static int at(String a, String b, int bound) {
            int n = a.length();
            int m = b.length();
            if (Math.abs(n - m) > bound) return bound + 1;
            int[] previous2 = new int[m + 1];
            int[] previous = new int[m + 1];
            int[] current = new int[m + 1];
            for (int j = 0; j <= m; j++) previous[j] = j;
            for (int i = 1; i <= n; i++) {
                current[0] = i;
                int rowMin = current[0];
                for (int j = 1; j <= m; j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    int value = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                    if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                        value = Math.min(value, previous2[j - 2] + 1);
                    }
                    current[j] = value;
                    rowMin = Math.min(rowMin, value);
                }
                if (rowMin > bound) return bound + 1;
                int[] recycled = previous2;
                previous2 = previous;
                previous = current;
                current = recycled;
            }
            return Math.min(previous[m], bound + 1);
        }
    }

    @Override
    public String toString() {
        return "LexicalIndex[" + docs.size() + " passages, averages " + Arrays.toString(averageLengths) + "]";
    }
}

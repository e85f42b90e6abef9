package com.soportemax.evaluation;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A knowledge base ({@code kb.json}: {@code [{"id","title","body","tags"}]}, optional {@code "language"}; {@code id}
 * may be {@code externalId} as in the import API) and the
 * labelled customer messages ({@code questions.jsonl}: one {@code {"q","expect":"answer","article"}} or
 * {@code {"q","expect":"escalate","why"}} a line, optional {@code "locale"}).
 */
record EvaluationSet(List<Article> articles, List<Question> questions) {

    static final JsonMapper JSON = JsonMapper.builder().build();

    EvaluationSet {
        articles = List.copyOf(articles);
        questions = List.copyOf(questions);
    }

    record Article(String id, String title, String body, List<String> tags, String language) {
    }

    /**
     * @param article the one article that holds the answer (answerable messages), otherwise null
     * @param why     why it must be escalated (must-escalate messages), otherwise null
     * @param locale  the widget's language: given, or guessed from the message's words
     */
    record Question(int line, String text, boolean answerable, String article, String why, String locale) {
    }

    static EvaluationSet read(Path kb, Path questions) throws IOException {
        return read(List.of(kb), questions);
    }

    /** The articles of every knowledge-base file, and the messages. */
    static EvaluationSet read(List<Path> kbs, Path questions) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Article> articles = new ArrayList<>();
        for (Path kb : kbs) {
            articles.addAll(readArticles(kb, problems));
        }
        Set<String> ids = new java.util.HashSet<>();
        articles.forEach(a -> ids.add(a.id()));
        List<Question> read = readQuestions(questions, ids, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("The evaluation set has problems:\n  " + String.join("\n  ", problems));
        }
        return new EvaluationSet(articles, read);
    }

    private static List<Article> readArticles(Path kb, List<String> problems) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(kb));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(kb + " is not JSON: " + e.getOriginalMessage());
        }
        if (!root.isArray()) {
            throw new IllegalArgumentException(kb + " must be a JSON array of {\"id\",\"title\",\"body\",\"tags\"}");
        }
        List<Article> articles = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            // "externalId" as the import API and the bundled seed files name it
            String id = item.path("id").asString(item.path("externalId").asString(""));
            if (id.isBlank()) {
                problems.add(kb.getFileName() + " item " + i + ": \"id\" is missing");
                continue;
            }
            List<String> tags = new ArrayList<>();
            item.path("tags").forEach(tag -> tags.add(tag.asString()));
            String language = item.path("language").asString("");
            articles.add(new Article(id, item.path("title").asString(""), item.path("body").asString(""), tags,
                    language.isBlank() ? null : language));
        }
        return articles;
    }

    private static List<Question> readQuestions(Path file, Set<String> articleIds, List<String> problems)
            throws IOException {
        List<Question> questions = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) continue;
            String where = file.getFileName() + " line " + (n + 1);
            JsonNode item;
            try {
                item = JSON.readTree(line);
            } catch (JacksonException e) {
                problems.add(where + ": not JSON (" + e.getOriginalMessage() + ")");
                continue;
            }
            String text = item.path("q").asString("");
            String expect = item.path("expect").asString("");
            String locale = item.path("locale").asString("");
            if (text.isBlank()) {
                problems.add(where + ": \"q\" is missing");
            } else if (expect.equals("answer")) {
                String article = item.path("article").asString("");
                if (!articleIds.contains(article)) {
                    problems.add(where + ": \"article\" \"" + article + "\" is not an id of the knowledge base");
                }
                questions.add(new Question(n + 1, text, true, article, null, localeOf(locale, text)));
            } else if (expect.equals("escalate")) {
                String why = item.path("why").asString("");
                questions.add(new Question(n + 1, text, false, null, why.isBlank() ? "unspecified" : why,
                        localeOf(locale, text)));
            } else {
                problems.add(where + ": \"expect\" must be \"answer\" or \"escalate\", was \"" + expect + "\"");
            }
        }
        return questions;
    }

    private static final Pattern WORDS = Pattern.compile("[^\\p{L}]+");
    private static final Set<String> ENGLISH = Set.of("the", "you", "your", "my", "is", "are", "do", "does", "i",
            "to", "and", "can", "what", "how", "it", "of", "for", "have", "we", "our", "with", "that", "this", "need");
    private static final Set<String> SPANISH = Set.of("el", "la", "los", "las", "de", "que", "q", "y", "en", "me",
            "mi", "es", "lo", "por", "para", "con", "se", "un", "una", "no", "tengo", "como", "cuanto", "hola", "si");

    /** The widget's language for a message without one: the language whose common words it uses more. */
    static String localeOf(String given, String text) {
        if (given != null && !given.isBlank()) return given.strip().toLowerCase(Locale.ROOT);
        int english = 0;
        int spanish = 0;
        for (String word : WORDS.split(text.toLowerCase(Locale.ROOT))) {
            if (ENGLISH.contains(word)) english++;
            if (SPANISH.contains(word)) spanish++;
        }
        return english > spanish ? "en" : "es";
    }
}

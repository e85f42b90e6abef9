package com.soportemax.knowledge.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The content of an article as an admin writes or imports it, normalised (trimmed, tags de-duplicated, language
 * defaulting to Spanish) but not yet validated: {@link #problems()} says what is wrong with it.
 *
 * @param externalId the id the company's own systems use for the article; optional, unique; importing the same one
 *                   again updates the article
 */
public record ArticleDraft(String externalId, String title, String body, List<String> tags, String language) {

    static final int MAX_TITLE = 300;
    static final int MAX_BODY = 100_000;
    static final int MAX_TAGS = 30;
    static final int MAX_TAG = 60;
    static final Set<String> LANGUAGES = Set.of("es", "en");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,119}");

    public ArticleDraft {
        externalId = externalId == null || externalId.isBlank() ? null : externalId.strip();
        title = title == null ? "" : title.strip();
        body = body == null ? "" : body.strip();
        Set<String> unique = new LinkedHashSet<>();
        if (tags != null) {
            for (String tag : tags) {
                unique.add(tag == null ? "" : tag.strip());
            }
        }
        tags = List.copyOf(unique);
        language = language == null || language.isBlank() ? detectLanguage(title + "\n" + body)
                : language.strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The language of an article given none: the one whose function words it uses more ({@code es} or {@code en}). */
    static String detectLanguage(String text) {
        return TextAnalysis.detect(text).code();
    }

    /** What must be fixed before this draft can be stored, as (field, message); empty when it is valid. */
    public List<FieldProblem> problems() {
        List<FieldProblem> problems = new ArrayList<>();
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            problems.add(new FieldProblem("externalId",
                    "must be 1-120 letters, digits or . _ : / - and start with a letter or digit"));
        }
        if (title.isEmpty()) {
            problems.add(new FieldProblem("title", "must not be blank"));
        } else if (title.length() > MAX_TITLE) {
            problems.add(new FieldProblem("title", "must be at most " + MAX_TITLE + " characters"));
        }
        if (body.isEmpty()) {
            problems.add(new FieldProblem("body", "must not be blank"));
        } else if (body.length() > MAX_BODY) {
            problems.add(new FieldProblem("body", "must be at most " + MAX_BODY + " characters"));
        }
        if (tags.size() > MAX_TAGS) {
            problems.add(new FieldProblem("tags", "must be at most " + MAX_TAGS + " tags"));
        }
        if (tags.stream().anyMatch(tag -> tag.isEmpty() || tag.length() > MAX_TAG)) {
            problems.add(new FieldProblem("tags", "each tag must be 1-" + MAX_TAG + " characters"));
        }
        if (!LANGUAGES.contains(language)) {
            problems.add(new FieldProblem("language", "must be \"es\" or \"en\""));
        }
        return problems;
    }

    /** A field of a draft and what is wrong with it. */
    public record FieldProblem(String field, String message) {
    }
}

package com.soportemax.knowledge.internal;

import java.util.List;
import java.util.stream.Collectors;

/** Articles that cannot be stored as given; nothing of the request was stored. */
public class InvalidArticlesException extends RuntimeException {

    private final List<Problem> problems;

    InvalidArticlesException(List<Problem> problems) {
        super(problems.stream().map(Problem::describe).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /**
     * @param index position of the article in the request (0-based), or -1 for a single article
     */
    public record Problem(int index, String field, String message) {

        String describe() {
            return (index >= 0 ? "item " + index + ": " : "") + field + " " + message;
        }
    }
}

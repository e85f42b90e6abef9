package com.soportemax.knowledge.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits an article's Markdown body into passages: the unit retrieval scores and the assistant quotes. Each section
 * (a heading and what follows it, or the text before the first heading) is split on its own, so a passage holds one
 * section or part of one: the answer to "¿cuánto cuesta?" is the "Cuánto cuesta" section, not the whole article. A
 * section up to 1.2 × the maximum stays whole; a longer one is split into passages of a few paragraphs, which never
 * cut a paragraph or list unless that block alone exceeds the maximum (then it is cut between sentences). Every
 * passage of a section starts with the section heading, and a continuation repeats the previous passage's last
 * sentence (the overlap) so that a sentence that refers back still has its context.
 */
final class PassageSplitter {

    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+\\S.*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*$");
    /** A sentence ends with . ! ? or : followed by white space; a line break also ends one. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?:])\\s+|\\n+");

    private final int minChars;
    private final int maxChars;
    private final int overlapChars;

    PassageSplitter(int minChars, int maxChars, int overlapChars) {
        if (minChars < 1 || maxChars < minChars || overlapChars < 0 || overlapChars >= minChars) {
            throw new IllegalArgumentException("passage sizes must satisfy 0 < min <= max and 0 <= overlap < min, got min="
                    + minChars + " max=" + maxChars + " overlap=" + overlapChars);
        }
        this.minChars = minChars;
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    /** The passages of {@code markdown}, in order; never empty for a body with any non-blank text. */
    List<String> split(String markdown) {
        List<String> passages = new ArrayList<>();
        List<Block> section = new ArrayList<>();
        for (Block block : blocks(markdown)) {
            if (block.opensSection() && !section.isEmpty()) {
                passages.addAll(splitSection(section));
                section = new ArrayList<>();
            }
            section.add(block);
        }
        if (!section.isEmpty()) passages.addAll(splitSection(section));
        return passages;
    }

    private List<String> splitSection(List<Block> blocks) {
        int total = blocks.stream().mapToInt(block -> block.text().length() + 2).sum();
        if (total <= maxChars + maxChars / 5) {
            // A short article stays whole rather than leaving a fragment of a paragraph or two on its own.
            return total == 0 ? List.of() : List.of(String.join("\n\n", blocks.stream().map(Block::text).toList()));
        }
        // Passages of about equal length: an article of 1.3 maxChars gives two of 0.65, not one full and one scrap.
        int target = Math.max(minChars, total / ((total + maxChars - 1) / maxChars));
        List<Chunk> chunks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String currentHeading = null;
        String lastSentence = null;
        for (Block block : blocks) {
            for (String piece : fitting(block.text())) {
                int grown = current.length() + 2 + piece.length();
                boolean fits = grown <= maxChars && (current.length() < target || grown <= target + target / 10);
                boolean tooSmallToClose = current.length() < target / 2 && grown <= maxChars + maxChars / 10;
                if (current.isEmpty() || fits || tooSmallToClose) {
                    append(current, piece);
                } else {
                    chunks.add(new Chunk(current.toString(), currentHeading));
                    current = new StringBuilder();
                    boolean sameSection = java.util.Objects.equals(currentHeading, block.heading());
                    if (block.heading() != null && !piece.startsWith(block.heading())) {
                        append(current, block.heading());
                    }
                    if (sameSection && lastSentence != null
                            && lastSentence.length() <= overlapChars && !block.opensSection()) {
                        append(current, lastSentence);
                    }
                    append(current, piece);
                }
                currentHeading = block.heading();
                lastSentence = lastSentence(piece);
            }
        }
        if (!current.isEmpty()) {
            Chunk last = new Chunk(current.toString(), currentHeading);
            Chunk previous = chunks.isEmpty() ? null : chunks.getLast();
            if (previous != null && last.text().length() < minChars / 3
                    && previous.text().length() + 2 + last.text().length() <= maxChars + maxChars / 5) {
                chunks.set(chunks.size() - 1, new Chunk(previous.text() + "\n\n" + withoutRepeatedHeading(last, previous),
                        last.heading()));
            } else {
                chunks.add(last);
            }
        }
        return chunks.stream().map(Chunk::text).toList();
    }

    private static String withoutRepeatedHeading(Chunk last, Chunk previous) {
        String heading = last.heading();
        if (heading != null && last.text().startsWith(heading) && previous.text().contains(heading)) {
            return last.text().substring(heading.length()).strip();
        }
        return last.text();
    }

    private static void append(StringBuilder chunk, String text) {
        if (!chunk.isEmpty()) {
            chunk.append("\n\n");
        }
        chunk.append(text);
    }

    /** {@code text} itself when it fits, otherwise runs of whole sentences (or, for a giant sentence, of words). */
    private List<String> fitting(String text) {
        if (text.length() <= maxChars) {
            return List.of(text);
        }
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (String sentence : sentences(text)) {
            for (String part : sentence.length() <= maxChars ? List.of(sentence) : byWords(sentence)) {
                if (!piece.isEmpty() && piece.length() + 1 + part.length() > maxChars) {
                    pieces.add(piece.toString());
                    piece = new StringBuilder();
                }
                if (!piece.isEmpty()) {
                    piece.append(' ');
                }
                piece.append(part);
            }
        }
        if (!piece.isEmpty()) {
            pieces.add(piece.toString());
        }
        return pieces;
    }

    private List<String> byWords(String sentence) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (String word : sentence.split("\\s+")) {
            if (!part.isEmpty() && part.length() + 1 + word.length() > maxChars) {
                parts.add(part.toString());
                part = new StringBuilder();
            }
            if (!part.isEmpty()) {
                part.append(' ');
            }
            part.append(word.length() > maxChars ? word.substring(0, maxChars) : word);
        }
        if (!part.isEmpty()) {
            parts.add(part.toString());
        }
        return parts;
    }

    private static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        Matcher end = SENTENCE_END.matcher(text);
        int start = 0;
        while (end.find()) {
            String sentence = text.substring(start, end.start()).strip();
            if (!sentence.isEmpty()) {
                sentences.add(sentence);
            }
            start = end.end();
        }
        String rest = text.substring(start).strip();
        if (!rest.isEmpty()) {
            sentences.add(rest);
        }
        return sentences;
    }

    private static String lastSentence(String piece) {
        List<String> sentences = sentences(piece);
        return sentences.isEmpty() || sentences.size() == 1 ? null : sentences.getLast();
    }

    /**
     * Paragraphs, lists, tables and fenced code blocks, each with the heading of its section; a heading is joined to the
     * block that follows it so a passage never ends on a bare heading.
     */
    private static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        String heading = null;
        boolean headingPending = false;
        StringBuilder block = new StringBuilder();
        boolean inFence = false;
        for (String line : markdown.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            if (FENCE.matcher(line).matches()) {
                inFence = !inFence;
                block.append(block.isEmpty() ? "" : "\n").append(line);
                continue;
            }
            if (inFence) {
                block.append('\n').append(line);
                continue;
            }
            if (HEADING.matcher(line).matches()) {
                headingPending = flush(blocks, block, heading, headingPending);
                heading = line.strip();
                headingPending = true;
                block = new StringBuilder();
                continue;
            }
            if (line.isBlank()) {
                headingPending = flush(blocks, block, heading, headingPending);
                block = new StringBuilder();
                continue;
            }
            block.append(block.isEmpty() ? "" : "\n").append(line.stripTrailing());
        }
        flush(blocks, block, heading, headingPending);
        if (headingPending && blocks.isEmpty() && heading != null) {
            blocks.add(new Block(heading, heading, true));
        }
        return blocks;
    }

    /** Adds the block, if any; returns whether the section heading is still waiting for its first block. */
    private static boolean flush(List<Block> blocks, StringBuilder block, String heading, boolean headingPending) {
        String text = block.toString().strip();
        if (text.isEmpty()) {
            return headingPending;
        }
        blocks.add(headingPending ? new Block(heading + "\n\n" + text, heading, true) : new Block(text, heading, false));
        return false;
    }

    private record Block(String text, String heading, boolean opensSection) {
    }

    private record Chunk(String text, String heading) {
    }
}

package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.internal.TextAnalysis.Language;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A general Spanish thesaurus in MyThes format (LibreOffice's, Debian package {@code mythes-es}): for a word the
 * knowledge base never uses ("medidor", "estropear"), the words of the same meaning that it may use ("contador",
 * "averiar"). Read once into memory as stems: headword stem → synonym stems (single words only).
 */
final class Thesaurus {

    static final Thesaurus EMPTY = new Thesaurus(Map.of(), "none");

    private final Map<String, String[]> synonyms;
    private final String source;

    private Thesaurus(Map<String, String[]> synonyms, String source) {
        this.synonyms = synonyms;
        this.source = source;
    }

    /**
     * Reads a MyThes {@code .dat} file: its first line names the encoding, then each entry is {@code word|count}
     * followed by {@code count} lines {@code (part of speech)|synonym|synonym...}.
     */
    static Thesaurus read(Path file) throws IOException {
        Map<String, Set<String>> read = new HashMap<>();
        Charset charset;
        try (BufferedReader first = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String name = first.readLine();
            charset = name != null && Charset.isSupported(name.strip()) ? Charset.forName(name.strip())
                    : StandardCharsets.UTF_8;
        }
        try (BufferedReader in = Files.newBufferedReader(file, charset)) {
            in.readLine();
            String line;
            String head = null;
            while ((line = in.readLine()) != null) {
                int bar = line.indexOf('|');
                if (bar < 0) continue;
                if (!line.startsWith("(") && !line.startsWith("-")) {
                    head = single(line.substring(0, bar));
                    continue;
                }
                if (head == null) continue;
                Set<String> set = read.computeIfAbsent(TextAnalysis.stem(head, Language.ES), k -> new LinkedHashSet<>());
                for (String part : line.substring(bar + 1).split("\\|")) {
                    String word = single(part.replaceAll("\\(.*?\\)", ""));
                    if (word != null && !word.equals(head)) set.add(TextAnalysis.stem(word, Language.ES));
                }
            }
        }
        Map<String, String[]> compact = new HashMap<>(read.size() * 2);
        read.forEach((stem, set) -> {
            set.remove(stem);
            if (!set.isEmpty()) compact.put(stem.intern(), set.stream().map(String::intern).toArray(String[]::new));
        });
        return new Thesaurus(compact, file.toString());
    }

    /** The folded word when {@code text} is a single word of letters, otherwise null. */
    private static String single(String text) {
        List<String> words = TextAnalysis.words(text.strip());
        return words.size() == 1 && words.getFirst().chars().allMatch(Character::isLetter) ? words.getFirst() : null;
    }

    /** Stems of words meaning the same as the word of stem {@code stem} (Spanish); empty when unknown. */
    String[] synonyms(String stem) {
        return synonyms.getOrDefault(stem, new String[0]);
    }

    int size() {
        return synonyms.size();
    }

    @Override
    public String toString() {
        return source + " (" + synonyms.size() + " entries)";
    }
}

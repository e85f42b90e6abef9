package com.soportemax.knowledge.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link LexicalIndex} of the passages now in the database. Every node keeps its own in memory and rebuilds it
 * when the articles have changed since it was built, which a cheap check of the articles table (count, sum of
 * versions, last update) tells before each search; so an article saved on one node is searched on every node
 * from the next question on.
 */
@Component
class PassageIndex {

    private static final Logger log = LoggerFactory.getLogger(PassageIndex.class);
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");
    private static final Pattern WORD = Pattern.compile("\\p{L}+");
    private static final String FINGERPRINT = """
            select count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(updated_at)::text, '')
            from knowledge_articles""";
    private static final String PASSAGES = """
            select p.article_id, a.external_id, p.position, p.title, p.language, p.text, a.tags, a.body
            from knowledge_passages p join knowledge_articles a on a.id = p.article_id
            order by a.external_id nulls last, a.id, p.position""";

    private final JdbcTemplate jdbc;
    private final Path thesaurusFile;
    private volatile Built built;
    private volatile Thesaurus thesaurus;
    private final Translator translator;

    private record Built(String fingerprint, LexicalIndex index, Set<String> lowerCaseWords) {
    }

    /** Words the articles write in lower case somewhere (their titles and passages), as of the last index built. */
    Set<String> lowerCaseWords() {
        Built now = built;
        return now == null ? Set.of() : now.lowerCaseWords();
    }

    PassageIndex(JdbcTemplate jdbc, KnowledgeProperties properties, Translator translator) {
        this.jdbc = jdbc;
        this.thesaurusFile = properties.thesaurus();
        this.translator = translator;
    }

    /** The translator of questions into the other language's articles ({@code soportemax.knowledge.translator}). */
    Translator translator() {
        return translator;
    }

    /** The Spanish thesaurus ({@code soportemax.knowledge.thesaurus}), read on first use; empty when missing. */
    Thesaurus thesaurus() {
        Thesaurus read = thesaurus;
        if (read != null) return read;
        synchronized (this) {
            if (thesaurus != null) return thesaurus;
            if (thesaurusFile == null || !Files.isReadable(thesaurusFile)) {
                log.warn("No Spanish thesaurus at {} (soportemax.knowledge.thesaurus): questions worded with other"
                        + " words than the articles' are found less often. Install Debian's mythes-es package or"
                        + " point the setting at a MyThes .dat file.", thesaurusFile);
                thesaurus = Thesaurus.EMPTY;
            } else {
                try {
                    thesaurus = Thesaurus.read(thesaurusFile);
                    log.info("Spanish thesaurus {} read", thesaurus);
                } catch (IOException | RuntimeException e) {
                    log.warn("Cannot read the thesaurus {}: {}; searching without synonyms", thesaurusFile,
                            e.toString());
                    thesaurus = Thesaurus.EMPTY;
                }
            }
            return thesaurus;
        }
    }

    /** The index of the articles as they are now. */
    LexicalIndex current() {
        String fingerprint = jdbc.queryForObject(FINGERPRINT, String.class);
        Built now = built;
        if (now != null && now.fingerprint().equals(fingerprint)) return now.index();
        synchronized (this) {
            now = built;
            if (now != null && now.fingerprint().equals(fingerprint)) return now.index();
            long started = System.nanoTime();
            List<LexicalIndex.Source> sources = load();
            LexicalIndex index = LexicalIndex.of(sources);
            built = new Built(fingerprint, index, lowerCaseWords(sources));
            log.debug("Knowledge index rebuilt: {} passages in {} ms", index.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return index;
        }
    }

    private List<LexicalIndex.Source> load() {
        return jdbc.query(PASSAGES, (row, n) -> {
            String text = row.getString("text");
            List<String> headings = new ArrayList<>();
            StringBuilder body = new StringBuilder();
            for (String line : text.split("\n")) {
                var heading = HEADING.matcher(line.strip());
                if (heading.matches()) {
                    headings.add(heading.group(1));
                } else {
                    body.append(line).append('\n');
                }
            }
            return new LexicalIndex.Source(row.getObject("article_id", UUID.class), row.getString("external_id"),
                    row.getInt("position"), row.getString("title"), row.getString("language"), tags(row.getArray("tags")),
                    String.join(" . ", headings), body.toString(), text, row.getString("body"));
        });
    }

    private static Set<String> lowerCaseWords(List<LexicalIndex.Source> sources) {
        Set<String> words = new java.util.HashSet<>();
        for (LexicalIndex.Source source : sources) {
            for (String text : List.of(source.title(), source.text())) {
                Matcher word = WORD.matcher(text);
                while (word.find()) {
                    if (Character.isLowerCase(word.group().codePointAt(0))) words.add(word.group());
                }
            }
        }
        return Set.copyOf(words);
    }

    private static List<String> tags(Array array) throws SQLException {
        if (array == null) return List.of();
        return Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }
}

package com.soportemax.dataset.internal;

import com.soportemax.assistant.SystemMessage;
import com.soportemax.knowledge.Passage;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The system message an answer was generated with: the system prompt of the settings version it used, the reply
 * language and its numbered passages, rendered by the assistant's own layout ({@link SystemMessage}). One instance
 * per export: settings versions are read once, passage texts are cached (bounded), so memory stays flat.
 */
final class SystemPrompts {

    private static final int CACHED_PASSAGES = 4096;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Map<Integer, String> prompts = new HashMap<>();
    private final Map<String, String> passageTexts = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHED_PASSAGES;
        }
    };
    private final Map<String, String> rendered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHED_PASSAGES;
        }
    };

    SystemPrompts(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        jdbc.sql("select version, system_prompt from assistant_settings")
                .query((rs, row) -> Map.entry(rs.getInt(1), rs.getString(2))).list()
                .forEach(entry -> prompts.put(entry.getKey(), entry.getValue()));
    }

    /** The latest settings version, for conversations without any bot answer. */
    Integer latestVersion() {
        return prompts.keySet().stream().max(Integer::compare).orElse(null);
    }

    String render(Integer settingsVersion, String passagesJson, String locale) {
        String key = settingsVersion + "\u0000" + locale + "\u0000" + passagesJson;
        String cached = rendered.get(key);
        if (cached != null) return cached;
        List<Passage> given = new ArrayList<>();
        if (passagesJson != null) {
            for (JsonNode passage : json.readTree(passagesJson)) {
                String articleId = passage.path("articleId").asString(null);
                given.add(new Passage(articleId == null ? null : UUID.fromString(articleId),
                        passage.path("externalId").asString(null), passage.path("title").asString(""),
                        passageText(passage), passage.path("score").asDouble(0)));
            }
        }
        // No confidential marker: it is a secret of the running process, never part of training data.
        String text = SystemMessage.render(prompts.getOrDefault(settingsVersion, ""), locale, "", given);
        rendered.put(key, text);
        return text;
    }

    // bot_answers records each passage's article, title, score and text; answers recorded before the text was kept
    // fall back to the article's passage at the recorded position, else its first passage.
    private String passageText(JsonNode passage) {
        if (passage.hasNonNull("text")) return passage.path("text").asString();
        String articleId = passage.path("articleId").asString(null);
        String externalId = passage.path("externalId").asString(null);
        int position = passage.path("position").asInt(-1);
        String key = articleId + "|" + externalId + "|" + position;
        String cached = passageTexts.get(key);
        if (cached != null) return cached;
        String sql = "select p.text from knowledge_passages p join knowledge_articles a on a.id = p.article_id where "
                + (articleId != null ? "a.id = :article" : "a.external_id = :external")
                + (position >= 0 ? " and p.position = :position" : "") + " order by p.position limit 1";
        JdbcClient.StatementSpec statement = jdbc.sql(sql);
        if (articleId != null) statement = statement.param("article", UUID.fromString(articleId));
        else statement = statement.param("external", externalId == null ? "" : externalId);
        if (position >= 0) statement = statement.param("position", position);
        String text = Optional.ofNullable(statement.query(String.class).optional().orElse(null)).orElse("");
        passageTexts.put(key, text);
        return text;
    }
}

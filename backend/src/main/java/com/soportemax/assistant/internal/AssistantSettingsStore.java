package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The versioned assistant settings. The first version is written from {@link AssistantSettings} the first time
 * settings are read; each change appends a version, which the next answer uses (no restart, no cache to expire).
 */
@Repository
public class AssistantSettingsStore {

    private static final String COLUMNS = """
            version, system_prompt, temperature, top_p, max_answer_tokens, min_confidence, min_retrieval_score,
            retrieval_only_min_score, changed_by, changed_at""";
    static final String DEFAULTS_AUTHOR = "defaults (soportemax.assistant)";

    private final JdbcClient jdbc;
    private final AssistantSettings defaults;

    AssistantSettingsStore(JdbcClient jdbc, AssistantSettings defaults) {
        this.jdbc = jdbc;
        this.defaults = defaults;
    }

    SettingsVersion current() {
        return latest().orElseGet(() -> {
            insert(1, EditableSettings.initial(defaults), DEFAULTS_AUTHOR, true);
            return latest().orElseThrow();
        });
    }

    /** Appends a version; concurrent changes are serialised by the table lock so versions stay dense. */
    @Transactional
    SettingsVersion change(EditableSettings change, String changedBy) {
        current();
        jdbc.sql("lock table assistant_settings in share row exclusive mode").update();
        int next = jdbc.sql("select coalesce(max(version), 0) + 1 from assistant_settings").query(Integer.class).single();
        insert(next, change, changedBy, false);
        return latest().orElseThrow();
    }

    /** The most recent versions, newest first. */
    List<SettingsVersion> history(int limit) {
        return jdbc.sql("select " + COLUMNS + " from assistant_settings order by version desc limit :limit")
                .param("limit", limit).query(AssistantSettingsStore::map).list();
    }

    private java.util.Optional<SettingsVersion> latest() {
        return jdbc.sql("select " + COLUMNS + " from assistant_settings order by version desc limit 1")
                .query(AssistantSettingsStore::map).optional();
    }

    private void insert(int version, EditableSettings change, String changedBy, boolean ifAbsent) {
        jdbc.sql("""
                        insert into assistant_settings (version, system_prompt, temperature, top_p, max_answer_tokens,
                            min_confidence, min_retrieval_score, retrieval_only_min_score, changed_by)
                        values (:version, :prompt, :temperature, :topP, :maxTokens, :minConfidence, :minRetrieval,
                            :retrievalOnly, :changedBy)
                        """ + (ifAbsent ? " on conflict (version) do nothing" : ""))
                .param("version", version)
                .param("prompt", change.systemPrompt())
                .param("temperature", change.temperature())
                .param("topP", change.topP())
                .param("maxTokens", change.maxAnswerTokens())
                .param("minConfidence", change.minConfidence())
                .param("minRetrieval", change.minRetrievalScore())
                .param("retrievalOnly", change.retrievalOnlyMinScore())
                .param("changedBy", changedBy)
                .update();
    }

    private static SettingsVersion map(ResultSet rs, int row) throws SQLException {
        return new SettingsVersion(rs.getInt("version"), rs.getString("system_prompt"), rs.getDouble("temperature"),
                rs.getDouble("top_p"), rs.getInt("max_answer_tokens"), rs.getDouble("min_confidence"),
                rs.getDouble("min_retrieval_score"), rs.getDouble("retrieval_only_min_score"),
                rs.getString("changed_by"), rs.getTimestamp("changed_at").toInstant());
    }
}

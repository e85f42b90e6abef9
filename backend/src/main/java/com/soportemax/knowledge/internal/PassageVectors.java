package com.soportemax.knowledge.internal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The passages' vectors in {@code knowledge_passage_vectors}, by embedding model and passage-text checksum. */
@Repository
class PassageVectors {

    private final JdbcTemplate jdbc;

    PassageVectors(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The texts of the passages as they are now, one per checksum (identical passages share a vector). */
    Collection<PassageText> currentPassages(String passagePrefix) {
        Map<String, PassageText> texts = new LinkedHashMap<>();
        jdbc.query("select title, text, language from knowledge_passages order by article_id, position", row -> {
            PassageText text = PassageText.of(passagePrefix, row.getString("title"), row.getString("text"),
                    TextAnalysis.Language.of(row.getString("language")));
            texts.putIfAbsent(text.sha256(), text);
        });
        return texts.values();
    }

    /** The checksums of the passages that {@code model} has a vector of. */
    Set<String> embedded(String model) {
        return new HashSet<>(jdbc.queryForList(
                "select content_sha256 from knowledge_passage_vectors where model = ?", String.class, model));
    }

    /** Keeps the vectors; one another node stored meanwhile for the same text is left as it is. */
    void store(String model, List<PassageText> texts, List<float[]> vectors) {
        jdbc.execute((java.sql.Connection connection) -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into knowledge_passage_vectors (model, content_sha256, dimension, vector)
                    values (?, ?, ?, ?) on conflict (model, content_sha256) do nothing""")) {
                for (int i = 0; i < texts.size(); i++) {
                    float[] vector = vectors.get(i);
                    Float[] boxed = new Float[vector.length];
                    for (int j = 0; j < vector.length; j++) boxed[j] = vector[j];
                    Array array = connection.createArrayOf("float4", boxed);
                    insert.setString(1, model);
                    insert.setString(2, texts.get(i).sha256());
                    insert.setInt(3, vector.length);
                    insert.setArray(4, array);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * Removes what no passage needs any more: vectors of other models, and vectors of {@code model} stored before
     * {@code before} for texts not in {@code keep} (a later one may belong to a passage saved meanwhile).
     */
    int prune(String model, Set<String> keep, Instant before) {
        int removed = jdbc.update("delete from knowledge_passage_vectors where model <> ?", model);
        return removed + jdbc.update(connection -> {
            PreparedStatement delete = connection.prepareStatement("""
                    delete from knowledge_passage_vectors
                    where model = ? and embedded_at < ? and content_sha256::text <> all (?)""");
            delete.setString(1, model);
            delete.setTimestamp(2, Timestamp.from(before));
            delete.setArray(3, connection.createArrayOf("text", keep.toArray()));
            return delete;
        });
    }

    /** Identifies the advisory lock that lets one node at a time compute vectors (any 64-bit constant will do). */
    private static final long EMBEDDING_LOCK = 0x736d_6b6e_7665_6331L;

    /**
     * Runs {@code work} holding the cluster-wide embedding lock (a PostgreSQL session advisory lock, released when the
     * work ends or the node's connection dies); returns false at once, running nothing, when another node holds it.
     */
    boolean whileNoOtherNodeEmbeds(Runnable work) {
        return Boolean.TRUE.equals(jdbc.execute((java.sql.Connection connection) -> {
            try (var lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                lock.setLong(1, EMBEDDING_LOCK);
                try (var result = lock.executeQuery()) {
                    if (!result.next() || !result.getBoolean(1)) return false;
                }
            }
            try {
                work.run();
                return true;
            } finally {
                try (var unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                    unlock.setLong(1, EMBEDDING_LOCK);
                    unlock.execute();
                }
            }
        }));
    }

    Instant databaseNow() {
        return jdbc.queryForObject("select now()", Timestamp.class).toInstant();
    }

    /** Changes whenever vectors of {@code model} are added or removed. */
    String fingerprint(String model) {
        return jdbc.queryForObject("""
                select count(*) || ':' || coalesce(max(embedded_at)::text, '')
                from knowledge_passage_vectors where model = ?""", String.class, model);
    }

    /** Every vector of {@code model}, by checksum. */
    Map<String, float[]> load(String model) {
        Map<String, float[]> vectors = new HashMap<>();
        jdbc.query("select content_sha256, vector from knowledge_passage_vectors where model = ?", row -> {
            Object[] values = (Object[]) row.getArray("vector").getArray();
            float[] vector = new float[values.length];
            for (int i = 0; i < values.length; i++) vector[i] = ((Number) values[i]).floatValue();
            vectors.put(row.getString("content_sha256"), vector);
        }, model);
        return vectors;
    }
}

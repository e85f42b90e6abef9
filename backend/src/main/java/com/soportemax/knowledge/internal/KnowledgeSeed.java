package com.soportemax.knowledge.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled knowledge base of the demo company (Tienda SoporteMax, a fictional online shop): imported on the first start
 * of a database that has no article at all, so that the assistant has something to answer from; never again once
 * articles exist (admins may have deleted seed articles on purpose).
 */
@Component
class KnowledgeSeed implements ApplicationRunner {

    static final List<String> SEED_FILES = List.of("knowledge/seed-es.json", "knowledge/seed-en.json");
    private static final Logger log = LoggerFactory.getLogger(KnowledgeSeed.class);

    private final ArticleCatalog catalog;
    private final JsonMapper json;
    private final KnowledgeProperties properties;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    KnowledgeSeed(ArticleCatalog catalog, JsonMapper json, KnowledgeProperties properties, JdbcTemplate jdbc,
                  PlatformTransactionManager transactionManager) {
        this.catalog = catalog;
        this.json = json;
        this.properties = properties;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.seedOnEmptyDatabase()) {
            loadIfEmpty();
        }
    }

    /**
     * Imports the seed articles when there are no articles; returns how many were imported (0 when skipped). Instances
     * starting together on one database take turns (transaction-scoped advisory lock), so only the first one seeds.
     */
    int loadIfEmpty() {
        Integer loaded = transaction.execute(status -> {
            jdbc.query("select pg_advisory_xact_lock(hashtext('soportemax.knowledge.seed'))", row -> null);
            if (catalog.count() > 0) {
                return 0;
            }
            ArticleCatalog.ImportResult result = catalog.importArticles(seedArticles());
            log.info("Knowledge base was empty: loaded {} seed articles (soportemax.knowledge.seed-on-empty-database)",
                    result.created());
            return result.created();
        });
        return loaded == null ? 0 : loaded;
    }

    List<ArticleDraft> seedArticles() {
        List<ArticleDraft> drafts = new ArrayList<>();
        for (String file : SEED_FILES) {
            try (InputStream in = new ClassPathResource(file).getInputStream()) {
                drafts.addAll(json.readValue(in, new TypeReference<List<ArticleDraft>>() {
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the seed knowledge base " + file, e);
            }
        }
        return drafts;
    }
}

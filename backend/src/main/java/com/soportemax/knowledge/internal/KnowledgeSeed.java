package com.soportemax.knowledge.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled knowledge base of the demo company (TiendaMax, a fictional online shop): imported on the first start
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

    KnowledgeSeed(ArticleCatalog catalog, JsonMapper json, KnowledgeProperties properties) {
        this.catalog = catalog;
        this.json = json;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.seedOnEmptyDatabase()) {
            loadIfEmpty();
        }
    }

    /** Imports the seed articles when there are no articles; returns how many were imported (0 when skipped). */
    @Transactional
    int loadIfEmpty() {
        if (catalog.count() > 0) {
            return 0;
        }
        List<ArticleDraft> drafts = seedArticles();
        ArticleCatalog.ImportResult result = catalog.importArticles(drafts);
        log.info("Knowledge base was empty: loaded {} seed articles (soportemax.knowledge.seed-on-empty-database)",
                result.created());
        return result.created();
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

package com.soportemax.knowledge.internal;

import com.soportemax.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@AutoConfigureMockMvc
@Import(TestDatabase.class)
class KnowledgeSeedTests {

    @Autowired
    KnowledgeSeed seed;

    @Autowired
    ArticleCatalog catalog;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void startsWithAtLeastThirtySpanishSeedArticlesSplitIntoPassages() {
        List<ArticleDraft> drafts = seed.seedArticles();

        assertThat(drafts.stream().filter(draft -> draft.language().equals("es"))).hasSizeGreaterThanOrEqualTo(30);
        assertThat(drafts).allSatisfy(draft -> assertThat(draft.problems()).isEmpty());
        for (ArticleDraft draft : drafts) {
            ArticleView article = catalog.findByExternalId(draft.externalId()).orElseThrow();
            assertThat(article.title()).isEqualTo(draft.title());
            assertThat(article.passageCount()).isPositive();
        }
    }

    @Test
    void doesNotLoadTheSeedAgainOnceArticlesExist() {
        long before = catalog.count();

        seed.run(new DefaultApplicationArguments());

        assertThat(seed.loadIfEmpty()).isZero();
        assertThat(catalog.count()).isEqualTo(before);
    }

    @Test
    @Transactional
    void loadsTheSeedIntoAnEmptyKnowledgeBase() {
        jdbc.update("delete from knowledge_articles");
        assertThat(catalog.count()).isZero();

        int loaded = seed.loadIfEmpty();

        assertThat(loaded).isEqualTo(seed.seedArticles().size());
        assertThat(catalog.count()).isEqualTo(loaded);
        assertThat(seed.loadIfEmpty()).isZero();
    }
}

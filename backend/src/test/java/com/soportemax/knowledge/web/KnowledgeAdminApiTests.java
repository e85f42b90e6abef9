package com.soportemax.knowledge.web;

import com.soportemax.TestDatabase;
import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import com.soportemax.knowledge.internal.ArticleCatalog;
import com.soportemax.knowledge.internal.ArticleView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@Import(TestDatabase.class)
class KnowledgeAdminApiTests {

    private static final RequestPostProcessor ADMIN = user("admin@soportemax.test").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    ArticleCatalog catalog;

    @Autowired
    KnowledgeBase knowledgeBase;

    @Test
    void importCreatesArticlesThenUpdatesThemByExternalId() throws Exception {
        String first = uniqueId("kb-test-alpaca");
        String second = uniqueId("kb-test-llama");
        importing("""
                [{"externalId":"%s","title":"Alquiler de alpacas","body":"Las alpacas se alquilan por días.","tags":["alpacas"]},
                 {"externalId":"%s","title":"Cuidado de llamas","body":"Las llamas comen heno.","tags":[],"language":"es"}]
                """.formatted(first, second))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.created").value(2))
                .andExpect(jsonPath("$.updated").value(0));

        importing("""
                [{"externalId":"%s","title":"Alquiler de alpacas","body":"Las alpacas se alquilan por semanas enteras.","tags":["alpacas","alquiler"]},
                 {"externalId":"%s","title":"Cuidado de llamas","body":"Las llamas comen heno.","tags":[],"language":"es"}]
                """.formatted(first, second))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.created").value(0))
                .andExpect(jsonPath("$.updated").value(1))
                .andExpect(jsonPath("$.unchanged").value(1));

        ArticleView alpacas = catalog.findByExternalId(first).orElseThrow();
        assertThat(alpacas.body()).isEqualTo("Las alpacas se alquilan por semanas enteras.");
        assertThat(alpacas.tags()).containsExactly("alpacas", "alquiler");
        assertThat(catalog.list()).filteredOn(article -> first.equals(article.externalId())).hasSize(1);
        mvc.perform(get("/api/admin/knowledge/articles").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].externalId", hasItem(first)))
                .andExpect(jsonPath("$[*].externalId", hasItem(second)));
    }

    @Test
    void invalidImportNamesTheItemAndFieldAndStoresNothing() throws Exception {
        long before = catalog.count();
        String valid = uniqueId("kb-test-valid");

        importing("""
                [{"externalId":"%s","title":"Un artículo correcto","body":"Texto.","tags":[]},
                 {"externalId":"kb-test-sin-titulo","title":"  ","body":"Texto.","tags":[]},
                 {"externalId":"kb-test-idioma","title":"Idioma","body":"Texto.","tags":[],"language":"fr"}]
                """.formatted(valid))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].index").value(1))
                .andExpect(jsonPath("$.errors[0].field").value("title"))
                .andExpect(jsonPath("$.errors[1].index").value(2))
                .andExpect(jsonPath("$.errors[1].field").value("language"))
                .andExpect(jsonPath("$.detail", containsString("item 1: title must not be blank")));

        assertThat(catalog.count()).isEqualTo(before);
        assertThat(catalog.findByExternalId(valid)).isEmpty();
    }

    @Test
    void rejectsAValueOfTheWrongTypeNamingItsItemAndField() throws Exception {
        long before = catalog.count();

        importing("""
                [{"externalId":"kb-test-ok","title":"Bien","body":"Texto.","tags":[]},
                 {"externalId":"kb-test-tags","title":"Etiquetas","body":"Texto.","tags":{"a":1}}]
                """)
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("item 1")))
                .andExpect(jsonPath("$.detail", containsString("tags")));

        assertThat(catalog.count()).isEqualTo(before);
    }

    @Test
    void rejectsTheSameExternalIdTwiceInOneImport() throws Exception {
        String id = uniqueId("kb-test-twice");

        importing("""
                [{"externalId":"%1$s","title":"Uno","body":"Texto.","tags":[]},
                 {"externalId":"%1$s","title":"Dos","body":"Texto.","tags":[]}]
                """.formatted(id))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].index").value(1))
                .andExpect(jsonPath("$.errors[0].field").value("externalId"));

        assertThat(catalog.findByExternalId(id)).isEmpty();
    }

    @Test
    void reSplitsPassagesWhenAnArticleIsUpdated() throws Exception {
        String id = uniqueId("kb-test-fauna");
        importing(article(id, "Fauna exótica", "El ornitorrinco pone huevos y vive en Australia."))
                .andExpect(status().isOk());
        assertThat(articlesFound("ornitorrinco")).contains(id);

        String longBody = String.join("\n\n", java.util.Collections.nCopies(9,
                "El equidna también pone huevos. Tiene púas como un erizo y come hormigas y termitas con su lengua."
                        + " Vive en Australia y en Nueva Guinea, en bosques, desiertos y montañas."));
        importing(article(id, "Fauna exótica", longBody)).andExpect(status().isOk());

        UUID articleId = catalog.findByExternalId(id).orElseThrow().id();
        List<String> passages = catalog.passagesOf(articleId);
        assertThat(passages).hasSizeGreaterThan(1).noneMatch(passage -> passage.contains("ornitorrinco"));
        assertThat(articlesFound("ornitorrinco")).doesNotContain(id);
        assertThat(articlesFound("equidna")).contains(id);
    }

    @Test
    void deletingAnArticleRemovesItFromRetrieval() throws Exception {
        String id = uniqueId("kb-test-borrar");
        importing(article(id, "Cebras", "Las cebras tienen rayas blancas y negras.")).andExpect(status().isOk());
        UUID articleId = catalog.findByExternalId(id).orElseThrow().id();
        assertThat(articlesFound("cebras rayas")).contains(id);

        mvc.perform(delete("/api/admin/knowledge/articles/" + articleId).with(ADMIN).with(csrf()))
                .andExpect(status().isNoContent());

        assertThat(articlesFound("cebras rayas")).doesNotContain(id);
        mvc.perform(delete("/api/admin/knowledge/articles/" + articleId).with(ADMIN).with(csrf()))
                .andExpect(status().isNotFound());
    }

    @Test
    void refusesAnImportWithoutAnAdmin() throws Exception {
        String id = uniqueId("kb-test-anon");

        int status = mvc.perform(post("/api/admin/knowledge/import").with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(article(id, "Anónimo", "Texto.")))
                .andReturn().getResponse().getStatus();

        assertThat(status).isIn(401, 403);
        assertThat(catalog.findByExternalId(id)).isEmpty();
    }

    private org.springframework.test.web.servlet.ResultActions importing(String json) throws Exception {
        return mvc.perform(post("/api/admin/knowledge/import").with(ADMIN).with(csrf())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json));
    }

    private List<String> articlesFound(String query) {
        return knowledgeBase.search(query, "es", 10).stream().map(Passage::externalId).toList();
    }

    private static String article(String externalId, String title, String body) {
        return """
                [{"externalId":"%s","title":"%s","body":"%s","tags":["prueba"]}]
                """.formatted(externalId, title, body.replace("\n", "\\n"));
    }

    private static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

package com.soportemax.knowledge.web;

import com.soportemax.TestDatabase;
import com.soportemax.knowledge.internal.ArticleCatalog;
import com.soportemax.knowledge.internal.ArticleView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@Import(TestDatabase.class)
class KnowledgeAdminPagesTests {

    private static final RequestPostProcessor ADMIN = user("admin@soportemax.test").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    ArticleCatalog catalog;

    @Test
    void listsTheArticlesWithASearchBoxAndAnImportForm() throws Exception {
        mvc.perform(get("/admin/knowledge").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("Plazos de entrega: cuánto tarda en llegar mi pedido"),
                        containsString("hx-get=\"/admin/knowledge/search\""),
                        containsString("enctype=\"multipart/form-data\""))));
    }

    @Test
    void liveSearchShowsTheMatchingPassagesWithTheirScores() throws Exception {
        String fragment = mvc.perform(get("/admin/knowledge/search").param("q", "como hago una devolusion")
                        .header("HX-Request", "true").with(ADMIN))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(fragment).doesNotContain("<html").contains("kb-devoluciones-como").containsPattern("0[.,]\\d\\d");
    }

    @Test
    void createsEditsAndDeletesAnArticleShowingUserTextAsText() throws Exception {
        String externalId = "kb-test-form-" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/admin/knowledge").with(ADMIN).with(csrf())
                        .param("externalId", externalId)
                        .param("title", "Horario <script>alert(1)</script>")
                        .param("body", "## Horario\n\nAbrimos de 9 a 18.")
                        .param("tags", "horario, tienda")
                        .param("language", "es"))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/admin/knowledge"));
        ArticleView created = catalog.findByExternalId(externalId).orElseThrow();
        assertThat(created.tags()).containsExactly("horario", "tienda");

        mvc.perform(get("/admin/knowledge/" + created.id() + "/edit").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("Horario &lt;script&gt;alert(1)&lt;/script&gt;"),
                        not(containsString("<script>alert(1)</script>")),
                        containsString("Abrimos de 9 a 18."))));

        mvc.perform(post("/admin/knowledge/" + created.id()).with(ADMIN).with(csrf())
                        .param("externalId", externalId)
                        .param("title", "Horario de la tienda")
                        .param("body", "Abrimos de 10 a 20.")
                        .param("tags", "horario")
                        .param("language", "es")
                        .param("version", String.valueOf(created.version())))
                .andExpect(status().is3xxRedirection());
        assertThat(catalog.passagesOf(created.id())).containsExactly("Abrimos de 10 a 20.");

        mvc.perform(post("/admin/knowledge/" + created.id()).with(ADMIN).with(csrf())
                        .param("externalId", externalId)
                        .param("title", "Edición basada en una versión antigua")
                        .param("body", "Texto.")
                        .param("language", "es")
                        .param("version", String.valueOf(created.version())))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("changed by someone else")));
        assertThat(catalog.find(created.id()).orElseThrow().title()).isEqualTo("Horario de la tienda");

        mvc.perform(post("/admin/knowledge/" + created.id() + "/delete").with(ADMIN).with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(catalog.find(created.id())).isEmpty();
    }

    @Test
    void showsWhatIsWrongWithAnInvalidArticleAndKeepsTheInput() throws Exception {
        mvc.perform(post("/admin/knowledge").with(ADMIN).with(csrf())
                        .param("title", "")
                        .param("body", "Un texto que no se debe perder.")
                        .param("language", "es"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("title: must not be blank"),
                        containsString("Un texto que no se debe perder."))));
    }

    @Test
    void importsAnUploadedJsonFile() throws Exception {
        String externalId = "kb-test-upload-" + UUID.randomUUID().toString().substring(0, 8);
        MockMultipartFile file = new MockMultipartFile("file", "articulos.json", "application/json", """
                [{"externalId":"%s","title":"Tarjetas de fidelidad","body":"Las tarjetas de fidelidad acumulan sellos.","tags":[]}]
                """.formatted(externalId).getBytes(StandardCharsets.UTF_8));

        mvc.perform(multipart("/admin/knowledge/import").file(file).with(ADMIN).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("notice", containsString("1 creados")));

        assertThat(catalog.findByExternalId(externalId)).isPresent();
    }

    @Test
    void reportsAnUploadedFileThatIsNotJson() throws Exception {
        long before = catalog.count();
        MockMultipartFile file = new MockMultipartFile("file", "articulos.json", "application/json",
                "esto no es JSON".getBytes(StandardCharsets.UTF_8));

        mvc.perform(multipart("/admin/knowledge/import").file(file).with(ADMIN).with(csrf()))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("problems", org.hamcrest.Matchers.hasSize(1)));

        assertThat(catalog.count()).isEqualTo(before);
    }
}

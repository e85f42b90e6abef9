package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;

import com.soportemax.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@ApplicationModuleTest
@AutoConfigureMockMvc
@Import({TestDatabase.class, com.soportemax.assistant.AssistantTestBeans.class, com.soportemax.assistant.AssistantTestBeans.WithScriptedModel.class})
class AssistantSettingsTests {

    static final String ADMIN = "admin@soportemax.test";

    @Autowired MockMvc mvc;
    @Autowired AssistantSettingsStore store;
    @Autowired AssistantSettings defaults;

    @AfterEach
    void restoreDefaults() {
        store.change(EditableSettings.initial(defaults), "test cleanup");
    }

    @Test
    void anAdminChangesTheSettingsThroughTheApiAsANewVersionWithAuthorAndTime() throws Exception {
        int before = store.current().version();

        mvc.perform(put("/api/admin/assistant/settings").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"systemPrompt":"Eres el asistente de SoporteMax. Sé breve.","temperature":0.4,
                                 "topP":0.85,"maxAnswerTokens":200,"minConfidence":0.6,"minRetrievalScore":0.2,
                                 "retrievalOnlyMinScore":0.5}
                                """))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(before + 1))
                .andExpect(jsonPath("$.changedBy").value(ADMIN))
                .andExpect(jsonPath("$.minConfidence").value(0.6));

        mvc.perform(get("/api/admin/assistant/settings").with(user(ADMIN).roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(before + 1))
                .andExpect(jsonPath("$.systemPrompt").value("Eres el asistente de SoporteMax. Sé breve."))
                .andExpect(jsonPath("$.temperature").value(0.4))
                .andExpect(jsonPath("$.changedAt").exists());
        assertThat(store.history(2)).extracting(SettingsVersion::version).containsExactly(before + 1, before);
    }

    @Test
    void rejectsOutOfRangeAndMissingValuesNamingEachOne() throws Exception {
        int before = store.current().version();

        mvc.perform(put("/api/admin/assistant/settings").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"systemPrompt":"  ","temperature":3,"topP":0.9,"maxAnswerTokens":200,
                                 "minConfidence":1.5,"minRetrievalScore":0.2}
                                """))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.problems", hasItem("retrievalOnlyMinScore is required (a number between 0 and 1)")));
        mvc.perform(put("/api/admin/assistant/settings").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"systemPrompt":"  ","temperature":3,"topP":0.9,"maxAnswerTokens":200,
                                 "minConfidence":1.5,"minRetrievalScore":0.2,"retrievalOnlyMinScore":0.5}
                                """))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.problems", hasItem("systemPrompt must not be empty")))
                .andExpect(jsonPath("$.problems", hasItem("temperature must be between 0 and 2")))
                .andExpect(jsonPath("$.problems", hasItem("minConfidence must be between 0 and 1")));

        assertThat(store.current().version()).isEqualTo(before);
    }

    @Test
    void onlyAdminsSeeOrChangeTheSettings() throws Exception {
        mvc.perform(get("/api/admin/assistant/settings")).andExpect(status().isUnauthorized());
    }

    @Test
    void theAdminPageShowsTheModelInUseAndSavesTheFormAsANewVersion() throws Exception {
        int before = store.current().version();

        mvc.perform(get("/admin/assistant").with(user(ADMIN).roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Modelo de lenguaje")))
                .andExpect(content().string(containsString("scripted")))
                .andExpect(content().string(containsString("4096 tokens")))
                .andExpect(content().string(not(containsString("Modo solo recuperación"))));

        mvc.perform(post("/admin/assistant").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .header("HX-Request", "true")
                        .param("systemPrompt", "Responde solo con los pasajes. <b>sin HTML</b>")
                        .param("temperature", "0.3").param("topP", "0.95").param("maxAnswerTokens", "256")
                        .param("minConfidence", "0.5").param("minRetrievalScore", "0.1")
                        .param("retrievalOnlyMinScore", "0.4"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Guardado como versión " + (before + 1))))
                .andExpect(content().string(containsString("&lt;b&gt;sin HTML&lt;/b&gt;")))
                .andExpect(content().string(not(containsString("<html"))));

        assertThat(store.current().version()).isEqualTo(before + 1);
        assertThat(store.current().changedBy()).isEqualTo(ADMIN);
        assertThat(store.current().temperature()).isEqualTo(0.3);
    }

    @Test
    void theAdminFormExplainsWhatIsWrongAndSavesNothing() throws Exception {
        int before = store.current().version();

        mvc.perform(post("/admin/assistant").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .header("HX-Request", "true")
                        .param("systemPrompt", "Responde.").param("temperature", "abc").param("topP", "0.95")
                        .param("maxAnswerTokens", "10").param("minConfidence", "0.5")
                        .param("minRetrievalScore", "0.1").param("retrievalOnlyMinScore", "0.4"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("No se han guardado los ajustes")))
                .andExpect(content().string(containsString("temperature")));

        assertThat(store.current().version()).isEqualTo(before);
    }
}

package com.soportemax.demo;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

// Security is the accounts module's concern (and covered by the browser test); here only what the pages render.
@WebMvcTest(DemoController.class)
@AutoConfigureMockMvc(addFilters = false)
@Import(DemoControllerTests.LayoutSamplePage.class)
class DemoControllerTests {

    @Autowired
    MockMvc mvc;

    @Test
    void demoShopEmbedsTheWidgetWithTheOneLineSnippetInSpanish() throws Exception {
        mvc.perform(get("/demo"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("Tienda SoporteMax"),
                        containsString("<script src=\"/widget.js\" data-locale=\"es\" data-title=\"Tienda SoporteMax\""),
                        containsString("&lt;script src=&quot;http://localhost/widget.js&quot; data-locale=&quot;es&quot;"))));
    }

    @Test
    void demoShopShowsTheWidgetInEnglishOnRequestAndSpanishForUnknownLanguages() throws Exception {
        mvc.perform(get("/demo").param("lang", "en"))
                .andExpect(content().string(containsString("data-locale=\"en\"")));
        mvc.perform(get("/demo").param("lang", "<script>"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("data-locale=\"es\""), not(containsString("<script>\"")))));
    }

    @Test
    void siteRootLeadsToTheDemoShop() throws Exception {
        mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/demo"));
    }

    @Test
    void sharedLayoutWrapsAPageWithNavigationAssetsAndItsOwnTitle() throws Exception {
        mvc.perform(get("/layout-sample"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("<title>Muestra del diseño</title>"),
                        containsString("href=\"/admin/knowledge\""),
                        containsString("href=\"/admin/assistant\""),
                        containsString("href=\"/agent\""),
                        containsString("action=\"/logout\""),
                        containsString("/webjars/htmx.org/2.0.4/dist/htmx.min.js"),
                        containsString("/webjars/htmx-ext-sse/2.2.2/sse.js"),
                        containsString("/css/admin.css"),
                        containsString("<h1>Contenido de muestra</h1>"),
                        not(containsString("<h1>Contenido</h1>")))));
    }

    @Controller
    static class LayoutSamplePage {
        @GetMapping("/layout-sample")
        String sample() {
            return "demo/layout-sample";
        }
    }
}

package com.soportemax.assistant;

import com.soportemax.TestDatabase;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A model still downloading: start-up did not wait for it, and the admin page watches it arrive. */
@ApplicationModuleTest
@AutoConfigureMockMvc
@Import({TestDatabase.class, AssistantTestBeans.class})
class ModelLoadingPageTests {

    static final CountDownLatch hubReleased = new CountDownLatch(1);
    static final HttpServer stallingHub = startStallingHub();

    static HttpServer startStallingHub() {
        try {
            HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            hub.createContext("/", exchange -> {
                try {
                    hubReleased.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            });
            hub.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            hub.start();
            return hub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("soportemax.model", () -> "hf:acme/slow-GGUF/slow.gguf");
        registry.add("soportemax.model-hub", () -> "http://127.0.0.1:" + stallingHub.getAddress().getPort());
        registry.add("soportemax.model-cache", () -> System.getProperty("java.io.tmpdir") + "/soportemax-loading-test");
    }

    @AfterAll
    static void stopHub() {
        hubReleased.countDown();
        stallingHub.stop(0);
    }

    @Autowired AssistantEngine engine;
    @Autowired MockMvc mvc;

    @Test
    void theAdminPageSaysTheModelIsBeingPreparedAndRefreshesItself() throws Exception {
        assertThat(engine.status().mode()).isEqualTo(AssistantEngine.Mode.LOADING);
        assertThat(engine.model()).isEmpty();

        mvc.perform(get("/admin/assistant").with(user("admin@soportemax.test").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Preparando el modelo")))
                .andExpect(content().string(containsString("hx-trigger=\"every 5s\"")));
    }
}

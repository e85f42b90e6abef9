package com.soportemax.accounts;

import com.soportemax.TestDatabase;
import com.soportemax.accounts.internal.Accounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;

/**
 * Every staff route of the running application (the pages under {@code /agent} and {@code /admin}, the APIs under
 * {@code /api/agent} and {@code /api/admin}), read from its actual request mappings, called as an anonymous visitor, a
 * customer with a valid widget token (its own conversation as every id), an agent and an admin, through the real security chains and a real database. A route added without an entry in
 * {@link #ROUTES} fails the test: whoever adds it decides who may call it.
 *
 * <p>Anonymous visitors and customers' tokens are sent to the sign-in page (pages) or get 401 (APIs), and never see
 * the conversation's messages; agents get 403 on admin routes;
 * where a role is allowed the entry gives the status it gets for the call made here (no body, unknown ids: 404 for an
 * id that does not exist, 400 for a body that is missing).
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(TestDatabase.class)
class StaffRouteMatrixTests {

    private static final String AGENT_EMAIL = "matrix-agent@soportemax.test";
    private static final String AGENT_PASSWORD = "matrix-agent-password";

    /** Who may call a route. */
    enum Access { AGENT_PAGE, ADMIN_PAGE, AGENT_API, ADMIN_API }

    /** A route's access and the status an allowed agent and admin get (agent: 403 for admin routes). */
    record Expected(Access access, int agent, int admin) {
    }

    private static Map.Entry<String, Expected> agent(String route, int agent, int admin) {
        return Map.entry(route, new Expected(route.contains(" /api/") ? Access.AGENT_API : Access.AGENT_PAGE, agent, admin));
    }

    private static Map.Entry<String, Expected> admin(String route, int admin) {
        return Map.entry(route, new Expected(route.contains(" /api/") ? Access.ADMIN_API : Access.ADMIN_PAGE, 403, admin));
    }

    /** Values for the path variables of the routes. */
    private static final Map<String, String> VARIABLES = Map.of(
            "id", UUID.randomUUID().toString(),
            "action", "resolve",
            "key", "no-such-article",
            "decision", "approve",
            "seq", "1",
            "messageId", UUID.randomUUID().toString());

    static final Map<String, Expected> ROUTES = new TreeMap<>(Map.ofEntries(
            admin("DELETE /api/admin/assistant/curated-answers/{id}", 404),
            admin("DELETE /api/admin/conversations/{id}", 404),
            admin("DELETE /api/admin/knowledge/articles/{id}", 404),
            admin("DELETE /api/admin/users/{id}", 404),
            admin("GET /admin", 200),
            admin("GET /admin/", 200),
            admin("GET /admin/assistant", 200),
            admin("GET /admin/assistant/curated", 200),
            admin("GET /admin/assistant/test", 200),
            admin("GET /admin/canned-replies", 200),
            admin("GET /admin/datasets", 200),
            admin("GET /admin/datasets/export", 400),
            admin("GET /admin/knowledge", 200),
            admin("GET /admin/knowledge/new", 200),
            admin("GET /admin/knowledge/search", 200),
            admin("GET /admin/knowledge/semantic", 200),
            admin("GET /admin/knowledge/{id}/edit", 404),
            admin("GET /admin/staff", 200),
            admin("GET /admin/stats", 200),
            admin("GET /admin/stats/data", 200),
            admin("GET /admin/transcript-reads", 200),
            admin("GET /admin/transcripts", 200),
            admin("GET /admin/transcripts/{id}", 404),
            admin("GET /admin/transcripts/next", 302),
            agent("GET /agent", 200, 200),
            agent("GET /agent/articles/{key}", 404, 404),
            agent("GET /agent/conversations/{id}", 404, 404),
            agent("GET /agent/conversations/{id}/knowledge", 404, 404),
            agent("GET /agent/conversations/{id}/transcript", 404, 404),
            agent("GET /agent/events", 200, 200),
            agent("GET /agent/queue", 200, 200),
            admin("GET /api/admin/assistant/curated-answers", 200),
            admin("GET /api/admin/assistant/settings", 200),
            admin("GET /api/admin/assistant/status", 200),
            admin("GET /api/admin/conversations", 200),
            admin("GET /api/admin/conversations/{id}", 404),
            admin("GET /api/admin/datasets/export", 400),
            admin("GET /api/admin/datasets/exports", 200),
            admin("GET /api/admin/knowledge/articles", 200),
            admin("GET /api/admin/knowledge/articles/{id}", 404),
            admin("GET /api/admin/knowledge/search", 400),
            admin("GET /api/admin/knowledge/semantic", 200),
            admin("GET /api/admin/stats", 200),
            admin("GET /api/admin/transcript-reads", 200),
            admin("GET /api/admin/users", 200),
            agent("GET /api/agent/canned-replies", 200, 200),
            agent("GET /api/agent/conversations/{id}/messages", 404, 404),
            agent("GET /api/agent/conversations/{id}/transcript", 404, 404),
            agent("GET /api/agent/events", 200, 200),
            agent("GET /api/agent/queue", 200, 200),
            agent("GET /api/agent/transcripts/{id}", 404, 404),
            admin("POST /admin/assistant", 200),
            admin("POST /admin/assistant/curated", 200),
            admin("POST /admin/assistant/curated/{id}/delete", 404),
            admin("POST /admin/assistant/test", 200),
            admin("POST /admin/canned-replies", 200),
            admin("POST /admin/canned-replies/{id}/delete", 302),
            admin("POST /admin/knowledge", 200),
            admin("POST /admin/knowledge/import", 400),
            admin("POST /admin/knowledge/{id}", 404),
            admin("POST /admin/knowledge/{id}/delete", 404),
            admin("POST /admin/staff", 302),
            admin("POST /admin/staff/{id}/delete", 302),
            admin("POST /admin/staff/{id}/enabled", 400),
            admin("POST /admin/staff/{id}/password", 302),
            admin("POST /admin/staff/{id}/role", 400),
            admin("POST /admin/transcripts/messages/{messageId}/label", 400),
            admin("POST /admin/transcripts/{id}/erase", 302),
            admin("POST /admin/transcripts/{id}/{decision:approve|reject}", 404),
            agent("POST /agent/conversations/{id}/messages", 404, 404),
            agent("POST /agent/conversations/{id}/notes", 404, 404),
            agent("POST /agent/conversations/{id}/transfer", 404, 404),
            agent("POST /agent/conversations/{id}/{action:handback|release|resolve|close}", 404, 404),
            agent("POST /agent/presence", 400, 400),
            agent("POST /agent/tickets/{id}/claim", 404, 404),
            admin("POST /api/admin/assistant/curated-answers", 400),
            admin("POST /api/admin/assistant/preview", 400),
            admin("POST /api/admin/conversations/{id}/approve", 404),
            admin("POST /api/admin/conversations/{id}/reject", 404),
            admin("POST /api/admin/knowledge/import", 400),
            admin("POST /api/admin/messages/{id}/label", 400),
            admin("POST /api/admin/users", 400),
            agent("POST /api/agent/conversations/{id}/messages", 400, 400),
            agent("POST /api/agent/conversations/{id}/notes", 400, 400),
            agent("POST /api/agent/conversations/{id}/transfer", 400, 400),
            agent("POST /api/agent/conversations/{id}/{action:handback|release|resolve|close}", 404, 404),
            agent("POST /api/agent/tickets/{id}/claim", 404, 404),
            admin("PUT /api/admin/assistant/settings", 400),
            admin("PUT /api/admin/users/{id}/enabled", 400),
            admin("PUT /api/admin/users/{id}/role", 400),
            agent("PUT /api/agent/presence", 400, 400)
    ));

    @Autowired
    MockMvc mvc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    Accounts accounts;

    @BeforeEach
    void anAgent() {
        if (accounts.all().stream().noneMatch(account -> account.email().equals(AGENT_EMAIL))) {
            accounts.create(AGENT_EMAIL, "Agente de la matriz", StaffRole.AGENT, AGENT_PASSWORD);
        }
    }

    @Test
    void everyStaffRouteAnswersEachRoleAsItsEntrySays() throws Exception {
        Set<String> routes = staffRoutes();
        List<String> problems = new ArrayList<>();
        Map<String, String> observed = new TreeMap<>();
        CustomerToken customer = customerToken();
        for (String route : routes) {
            Expected expected = ROUTES.get(route);
            MockHttpServletResponse anonymousResponse = call(route, null);
            int anonymous = anonymousResponse.getStatus();
            // The customer's own conversation as every {id}: a valid widget token must open none of it here.
            MockHttpServletResponse customerResponse = call(route, customer.bearer(), customer.conversationId());
            int withToken = customerResponse.getStatus();
            int agent = call(route, httpBasic(AGENT_EMAIL, AGENT_PASSWORD)).getStatus();
            MockHttpServletResponse adminResponse = call(route, httpBasic("admin@soportemax.test", "test-admin-password"));
            int admin = adminResponse.getStatus();
            observed.put(route, "anonymous " + anonymous + ", customer token " + withToken + ", agent " + agent
                    + ", admin " + admin + (admin == 500 ? " " + adminResponse.getErrorMessage() : ""));
            if (expected == null) {
                problems.add("no entry for " + route + " (observed: anonymous " + anonymous + ", customer token "
                        + withToken + ", agent " + agent + ", admin " + admin + ")");
                continue;
            }
            boolean page = expected.access() == Access.AGENT_PAGE || expected.access() == Access.ADMIN_PAGE;
            if (page) {
                String location = anonymousResponse.getRedirectedUrl();
                if (anonymous != 302 || location == null || !location.endsWith("/login")) {
                    problems.add(route + ": anonymous got " + anonymous + " " + location + ", not a redirect to /login");
                }
                String tokenLocation = customerResponse.getRedirectedUrl();
                if (withToken != 302 || tokenLocation == null || !tokenLocation.endsWith("/login")) {
                    problems.add(route + ": a customer's token got " + withToken + " " + tokenLocation
                            + ", not a redirect to /login");
                }
            } else {
                if (anonymous != 401) {
                    problems.add(route + ": anonymous got " + anonymous + ", not 401");
                }
                if (withToken != 401) {
                    problems.add(route + ": a customer's token got " + withToken + ", not 401");
                }
            }
            if (customerResponse.getContentAsString().contains(customer.marker())) {
                problems.add(route + ": a customer's token read the conversation's messages");
            }
            if (agent != expected.agent()) {
                problems.add(route + ": agent got " + agent + ", expected " + expected.agent());
            }
            if (admin != expected.admin()) {
                problems.add(route + ": admin got " + admin + ", expected " + expected.admin());
            }
        }
        for (String listed : ROUTES.keySet()) {
            if (!routes.contains(listed)) {
                problems.add("an entry for a route the application no longer has: " + listed);
            }
        }
        assertThat(problems).as("role x route matrix; observed:\n" + String.join("\n", observed.entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue()).toList())).isEmpty();
    }

    /** The routes outside the staff prefixes that are still no customer's business: [anonymous, customer token, agent, admin]. */
    static final Map<String, int[]> OPERATIONS = new TreeMap<>(Map.of(
            "GET /actuator/health", new int[] {200, 200, 200, 200},
            "GET /actuator/health/liveness", new int[] {200, 200, 200, 200},
            "GET /actuator/health/readiness", new int[] {200, 200, 200, 200},
            "GET /actuator", new int[] {302, 302, 403, 200},
            "GET /actuator/info", new int[] {302, 302, 403, 200},
            "GET /actuator/metrics", new int[] {302, 302, 403, 200},
            "GET /actuator/env", new int[] {302, 302, 403, 404},
            "GET /v3/api-docs", new int[] {401, 401, 403, 200},
            "GET /swagger-ui.html", new int[] {401, 401, 403, 302},
            "GET /swagger-ui/index.html", new int[] {401, 401, 403, 200}));

    @Test
    void theActuatorAndTheApiDescriptionAnswerEachCallerAsTheirEntrySays() throws Exception {
        CustomerToken customer = customerToken();
        List<String> problems = new ArrayList<>();
        Map<String, String> observed = new TreeMap<>();
        for (Map.Entry<String, int[]> entry : OPERATIONS.entrySet()) {
            String route = entry.getKey();
            MockHttpServletResponse[] responses = {call(route, null), call(route, customer.bearer()),
                    call(route, httpBasic(AGENT_EMAIL, AGENT_PASSWORD)),
                    call(route, httpBasic("admin@soportemax.test", "test-admin-password"))};
            String[] who = {"anonymous", "customer token", "agent", "admin"};
            StringBuilder seen = new StringBuilder();
            for (int i = 0; i < who.length; i++) {
                int status = responses[i].getStatus();
                seen.append(who[i]).append(' ').append(status).append(i < who.length - 1 ? ", " : "");
                if (status != entry.getValue()[i]) {
                    problems.add(route + ": " + who[i] + " got " + status + ", expected " + entry.getValue()[i]);
                }
                if (status == 302 && i < 3 && !String.valueOf(responses[i].getRedirectedUrl()).endsWith("/login")) {
                    problems.add(route + ": " + who[i] + " was sent to " + responses[i].getRedirectedUrl());
                }
            }
            observed.put(route, seen.toString());
        }
        assertThat(problems).as("operations routes; observed:\n" + String.join("\n", observed.entrySet().stream()
                .map(e -> e.getKey() + " -> " + e.getValue()).toList())).isEmpty();
    }

    @Test
    void healthDetailsAreForAdminsOnly() throws Exception {
        CustomerToken customer = customerToken();
        for (RequestPostProcessor caller : java.util.Arrays.asList(null, customer.bearer(),
                httpBasic(AGENT_EMAIL, AGENT_PASSWORD))) {
            String body = call("GET /actuator/health", caller).getContentAsString();
            assertThat(body).contains("\"status\":\"UP\"").doesNotContain("components").doesNotContain("diskSpace");
        }
        assertThat(call("GET /actuator/health", httpBasic("admin@soportemax.test", "test-admin-password"))
                .getContentAsString()).contains("components").contains("\"db\"");
    }

    /** A conversation of a customer, its widget token, and a text only its messages contain. */
    record CustomerToken(String conversationId, String token, String marker) {
        RequestPostProcessor bearer() {
            return request -> {
                request.addHeader("Authorization", "Bearer " + token);
                return request;
            };
        }
    }

    private CustomerToken customerToken() throws Exception {
        MockHttpServletResponse started = mvc.perform(MockMvcRequestBuilders.post("/api/widget/conversations")
                .contentType(MediaType.APPLICATION_JSON).content("{\"locale\":\"es\"}")).andReturn().getResponse();
        assertThat(started.getStatus()).isEqualTo(201);
        tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(started.getContentAsString());
        String id = json.path("conversationId").asString();
        String token = json.path("token").asString();
        String marker = "pedido-" + UUID.randomUUID();
        int posted = mvc.perform(MockMvcRequestBuilders.post("/api/widget/conversations/" + id + "/messages")
                .header("Authorization", "Bearer " + token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"text\":\"Mi pedido " + marker
                        + " no llega\"}")).andReturn().getResponse().getStatus();
        assertThat(posted).isBetween(200, 202);
        return new CustomerToken(id, token, marker);
    }

    @Test
    void theMatrixCoversThePagesAndApisOfAgentsAndAdmins() {
        Set<String> routes = staffRoutes();
        assertThat(routes).contains("GET /agent", "GET /admin/staff", "GET /api/agent/queue", "GET /api/admin/users");
        assertThat(routes.size()).isGreaterThan(40);
    }

    /** "METHOD /pattern" of every handler mapping under a staff prefix. */
    private Set<String> staffRoutes() {
        Set<String> routes = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!(pattern.startsWith("/agent") || pattern.startsWith("/admin") || pattern.startsWith("/api/agent")
                        || pattern.startsWith("/api/admin"))) {
                    continue;
                }
                if (methods.isEmpty()) {
                    routes.add("GET " + pattern);
                } else {
                    methods.forEach(method -> routes.add(method.name() + " " + pattern));
                }
            }
        }
        return routes;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}:]+)(?::[^}]*)?}");

    private MockHttpServletResponse call(String route, RequestPostProcessor who) throws Exception {
        return call(route, who, null);
    }

    /** @param id the value of every {@code {id}} (and {@code {messageId}}) variable, or null for the usual ones */
    private MockHttpServletResponse call(String route, RequestPostProcessor who, String id) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String pattern = route.substring(route.indexOf(' ') + 1);
        Matcher variable = VARIABLE.matcher(pattern);
        StringBuilder path = new StringBuilder();
        while (variable.find()) {
            String value = id != null && (variable.group(1).equals("id") || variable.group(1).equals("messageId"))
                    ? id : VARIABLES.get(variable.group(1));
            assertThat(value).as("a value for the path variable {" + variable.group(1) + "} of " + route).isNotNull();
            variable.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        variable.appendTail(path);
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.valueOf(method),
                path.toString()).accept(MediaType.TEXT_HTML, MediaType.APPLICATION_JSON, MediaType.ALL);
        if (!method.equals("GET")) {
            request.with(csrf());
            if (pattern.startsWith("/api/")) {
                request.contentType(MediaType.APPLICATION_JSON).content("{}");
            }
        }
        if (who != null) {
            request.with(who);
        }
        try {
            return mvc.perform(request).andReturn().getResponse();
        } catch (jakarta.servlet.ServletException unhandled) {
            // What the running server turns into a 500 (error page or problem details).
            MockHttpServletResponse failed = new MockHttpServletResponse();
            Throwable cause = unhandled;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            failed.sendError(500, cause + " at " + java.util.Arrays.stream(cause.getStackTrace())
                    .filter(frame -> frame.getClassName().startsWith("com.soportemax")).limit(4).toList());
            return failed;
        }
    }
}

package com.soportemax.dataset;

import com.soportemax.AdminTest;
import com.soportemax.ConversationFixture;
import com.soportemax.WidgetClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@AdminTest
class DatasetExportTests {

    private static final String ADMIN = WidgetClient.basic("admin@soportemax.test", "test-admin-password");

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @Autowired
    JdbcConnectionDetails database;

    @TempDir
    Path folder;

    /** Wipes the day and writes the review fixture: a corrected answer, a bad one, a good one, a replaced draft. */
    private ConversationFixture.Builder[] reviewedDay(String day) {
        Instant start = Instant.parse(day + "T10:00:00Z");
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(start.minus(Duration.ofHours(10))),
                Timestamp.from(start.plus(Duration.ofHours(14))));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        ConversationFixture.Builder corrected = fixture.conversation(start, "es")
                .customer(Duration.ZERO, "¿Cuánto tarda un envío a Canarias?")
                .bot(Duration.ofSeconds(3), "Llega en 24 horas.", 0.7)
                .customer(Duration.ofSeconds(30), "¿Y a Baleares?")
                .bot(Duration.ofSeconds(33), "A Baleares tarda de 2 a 3 días laborables.", 0.8)
                .customer(Duration.ofSeconds(60), "¿Puedo pagar en bitcoin?")
                .bot(Duration.ofSeconds(63), "Sí, aceptamos cualquier criptomoneda.", 0.6)
                .label(2, "bad", "A Canarias tarda de 3 a 5 días laborables.")
                .label(4, "good", null)
                .label(6, "unsafe", null)
                .review("APPROVED");
        ConversationFixture.Builder replaced = fixture.conversation(start.plusSeconds(10), "es")
                .customer(Duration.ZERO, "Quiero devolver unas sandalias que me quedan pequeñas")
                .escalate(Duration.ofSeconds(3), "LOW_CONFIDENCE", "Puedes devolverlas cuando quieras.", 0.3)
                .agent(Duration.ofMinutes(1), "Lucía", "Tienes 30 días desde la entrega: te envío la etiqueta de devolución.")
                .review("APPROVED");
        ConversationFixture.Builder thumbs = fixture.conversation(start.plusSeconds(20), "en")
                .customer(Duration.ZERO, "Do you ship to Portugal?")
                .bot(Duration.ofSeconds(2), "Yes, we ship to Portugal in 3 to 5 working days.", 0.9)
                .thumbs(2, true)
                .review("APPROVED");
        ConversationFixture.Builder unreviewed = fixture.conversation(start.plusSeconds(30), "es")
                .customer(Duration.ZERO, "¿Tenéis tienda física en Sevilla?")
                .bot(Duration.ofSeconds(2), "No, solo vendemos en línea.", 0.9)
                .rating(5, null, Duration.ofMinutes(1));
        ConversationFixture.Builder rejected = fixture.conversation(start.plusSeconds(40), "es")
                .customer(Duration.ZERO, "hola")
                .bot(Duration.ofSeconds(2), "¡Hola! ¿En qué puedo ayudarte?", 0.9)
                .review("REJECTED");
        return new ConversationFixture.Builder[]{corrected, replaced, thumbs, unreviewed, rejected};
    }

    @Test
    void sftReplacesCorrectedAnswersAndWeighsRejectedOnesZero() {
        reviewedDay("2020-04-01");
        List<JsonNode> lines = export("format=openai-sft&from=2020-04-01&to=2020-04-01");

        lines.forEach(DatasetExportTests::assertSftShape);
        assertThat(lines).hasSize(3);
        JsonNode corrected = lines.stream().filter(l -> l.toString().contains("bitcoin")).findFirst().orElseThrow();
        JsonNode messages = corrected.path("messages");
        String system = messages.get(0).path("content").asString();
        assertThat(system).startsWith(jdbc.queryForObject("select system_prompt from assistant_settings where version = ?",
                String.class, new ConversationFixture(jdbc).settingsVersion()).strip());
        assertThat(system).contains("Responde en español.").contains("[1] Plazos de envío");
        assertThat(messages.get(2).path("content").asString()).isEqualTo("A Canarias tarda de 3 a 5 días laborables.");
        assertThat(messages.get(2).has("weight")).isFalse();
        assertThat(messages.get(4).path("content").asString()).isEqualTo("A Baleares tarda de 2 a 3 días laborables.");
        assertThat(messages.get(6).path("content").asString()).isEqualTo("Sí, aceptamos cualquier criptomoneda.");
        assertThat(messages.get(6).path("weight").asInt()).isZero();
        JsonNode agent = lines.stream().filter(l -> l.toString().contains("sandalias")).findFirst().orElseThrow();
        assertThat(roles(agent.path("messages"))).containsExactly("system", "user", "assistant");
        assertThat(agent.path("messages").get(2).path("content").asString()).startsWith("Tienes 30 días");
        assertThat(lines.toString()).doesNotContain("Sevilla").doesNotContain("¿En qué puedo ayudarte?");
    }

    @Test
    void preferencePairsComeFromCorrectionsAndFromAgentRepliesThatReplacedADraft() {
        reviewedDay("2020-04-02");
        for (String format : List.of("openai-dpo", "trl-dpo")) {
            List<JsonNode> lines = export("format=" + format + "&from=2020-04-02&to=2020-04-02");
            assertThat(lines).as(format).hasSize(2);
            for (JsonNode line : lines) {
                if (format.equals("openai-dpo")) assertOpenAiDpoShape(line);
                else assertTrlDpoShape(line);
            }
            JsonNode correction = lines.get(0).toString().contains("sandalias") ? lines.get(1) : lines.get(0);
            JsonNode draft = correction == lines.get(0) ? lines.get(1) : lines.get(0);
            String preferred = format.equals("openai-dpo") ? "preferred_output" : "chosen";
            String rejected = format.equals("openai-dpo") ? "non_preferred_output" : "rejected";
            JsonNode prompt = format.equals("openai-dpo") ? correction.path("input").path("messages") : correction.path("prompt");
            assertThat(roles(prompt)).containsExactly("system", "user");
            assertThat(correction.path(preferred).get(0).path("content").asString()).isEqualTo("A Canarias tarda de 3 a 5 días laborables.");
            assertThat(correction.path(rejected).get(0).path("content").asString()).isEqualTo("Llega en 24 horas.");
            assertThat(draft.path(preferred).get(0).path("content").asString()).startsWith("Tienes 30 días");
            assertThat(draft.path(rejected).get(0).path("content").asString()).isEqualTo("Puedes devolverlas cuando quieras.");
        }
    }

    @Test
    void ktoExamplesComeFromLabelsThumbsAndRatings() {
        reviewedDay("2020-04-03");
        List<JsonNode> lines = export("format=kto&from=2020-04-03&to=2020-04-03");
        lines.forEach(DatasetExportTests::assertKtoShape);
        Map<String, Boolean> labels = new java.util.HashMap<>();
        lines.forEach(line -> labels.put(line.path("completion").get(0).path("content").asString(), line.path("label").asBoolean()));
        assertThat(labels).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Llega en 24 horas.", false,
                "A Canarias tarda de 3 a 5 días laborables.", true,
                "A Baleares tarda de 2 a 3 días laborables.", true,
                "Sí, aceptamos cualquier criptomoneda.", false,
                "Yes, we ship to Portugal in 3 to 5 working days.", true));

        List<JsonNode> withUnreviewed = export("format=kto&from=2020-04-03&to=2020-04-03&approvedOnly=false");
        assertThat(withUnreviewed.toString()).contains("No, solo vendemos en línea.").doesNotContain("¿En qué puedo ayudarte?");
    }

    @Test
    void theDraftTheAgentsConsoleRecordedBesideAReplyBecomesAPair() {
        Instant start = Instant.parse("2020-04-08T10:00:00Z");
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(start.minus(Duration.ofHours(10))),
                Timestamp.from(start.plus(Duration.ofHours(14))));
        ConversationFixture.Builder conversation = new ConversationFixture(jdbc).conversation(start, "es")
                .customer(Duration.ZERO, "¿Puedo cambiar la dirección de entrega?")
                .escalate(Duration.ofSeconds(2), "ACCOUNT_ACTION", "", 0.0)
                .agent(Duration.ofMinutes(1), "Lucía", "Sí: te la cambio ahora, ¿cuál es la nueva?")
                .review("APPROVED");
        UUID ticket = jdbc.queryForObject("select id from escalation_tickets where conversation_id = ?", UUID.class, conversation.id);
        jdbc.update("""
                insert into agent_reply_drafts (message_id, conversation_id, ticket_id, draft_text, reply_text, edited,
                    agent_email, created_at) values (?, ?, ?, ?, ?, true, 'lucia@soportemax.test', now())""",
                conversation.messages.get(conversation.seq()), conversation.id, ticket,
                "Cambia la dirección desde tu cuenta.", "Sí: te la cambio ahora, ¿cuál es la nueva?");

        List<JsonNode> lines = export("format=trl-dpo&from=2020-04-08&to=2020-04-08");
        assertThat(lines).hasSize(1);
        assertTrlDpoShape(lines.getFirst());
        assertThat(lines.getFirst().path("chosen").get(0).path("content").asString()).isEqualTo("Sí: te la cambio ahora, ¿cuál es la nueva?");
        assertThat(lines.getFirst().path("rejected").get(0).path("content").asString()).isEqualTo("Cambia la dirección desde tu cuenta.");
    }

    @Test
    void onlyApprovedConversationsByDefaultAndNeverRejectedOnes() {
        reviewedDay("2020-04-04");
        assertThat(export("format=openai-sft&from=2020-04-04&to=2020-04-04")).hasSize(3);
        List<JsonNode> all = export("format=openai-sft&from=2020-04-04&to=2020-04-04&approvedOnly=false");
        assertThat(all).hasSize(4);
        assertThat(all.toString()).contains("Sevilla").doesNotContain("¿En qué puedo ayudarte?");
    }

    @Test
    void trainAndValidationPartsSplitTheConversationsAndIdenticalPromptsAreExportedOnce() {
        Instant start = Instant.parse("2020-04-05T10:00:00Z");
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(start.minus(Duration.ofHours(10))),
                Timestamp.from(start.plus(Duration.ofHours(14))));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        for (int i = 0; i < 40; i++) {
            fixture.conversation(start.plusSeconds(i), "es")
                    .customer(Duration.ZERO, "Pregunta número " + i + " sobre envíos")
                    .bot(Duration.ofSeconds(1), "Respuesta " + i, 0.8).review("APPROVED");
        }
        for (int i = 0; i < 3; i++) {
            fixture.conversation(start.plusSeconds(100 + i), "es")
                    .customer(Duration.ZERO, "hola").bot(Duration.ofSeconds(1), "¡Hola! ¿En qué te ayudo?", 0.9).review("APPROVED");
        }
        String range = "format=openai-sft&from=2020-04-05&to=2020-04-05";
        List<JsonNode> all = export(range);
        assertThat(all).hasSize(41);
        assertThat(export(range + "&dedupe=false")).hasSize(43);
        List<JsonNode> train = export(range + "&part=train&validationShare=0.25");
        List<JsonNode> validation = export(range + "&part=validation&validationShare=0.25");
        assertThat(train.size() + validation.size()).isEqualTo(41);
        assertThat(validation).isNotEmpty();
        assertThat(train).doesNotContainAnyElementsOf(validation);
        assertThat(export(range + "&part=validation&validationShare=0.25")).isEqualTo(validation);
    }

    @Test
    void everyExportIsRecordedWithWhoFiltersCountAndTheFilesSha256() throws Exception {
        reviewedDay("2020-04-06");
        java.net.http.HttpResponse<String> reply = download("format=trl-dpo&from=2020-04-06&to=2020-04-06");
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        assertThat(reply.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains("trl-dpo");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(reply.body().getBytes(StandardCharsets.UTF_8)));

        JsonNode recent = new WidgetClient(port).send("GET", "/api/admin/datasets/exports", null, ADMIN).json();
        JsonNode record = recent.get(0);
        assertThat(record.path("sha256").asString()).isEqualTo(sha);
        assertThat(record.path("lines").asLong()).isEqualTo(2);
        assertThat(record.path("exportedBy").asString()).isEqualTo("admin@soportemax.test");
        assertThat(record.path("filters").path("from").asString()).isEqualTo("2020-04-06");
        assertThat(record.path("filters").path("approvedOnly").asBoolean()).isTrue();
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        WidgetClient.Reply reply = new WidgetClient(port).send("GET", "/api/admin/datasets/export?format=csv", null, ADMIN);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("errors").get(0).path("field").asString()).isEqualTo("format");
        reply = new WidgetClient(port).send("GET", "/api/admin/datasets/export?format=kto&from=yesterday", null, ADMIN);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("detail").asString()).contains("from");
        assertThat(new WidgetClient(port).send("GET", "/api/admin/datasets/export?format=kto", null, null).status()).isEqualTo(401);
    }

    @Test
    void personalDataLeavesAsConsistentPlaceholdersAndTheStoredCardIsMasked() {
        WidgetClient widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = widget.start("es");
        String message = "Hola, me llamo Lucía Fernández. Mi DNI es 12345678Z y el de mi marido X1234567L. "
                + "Cobradme en ES91 2100 0418 4502 0005 1332 o en la tarjeta 4539 1488 0343 6467. "
                + "Móvil 612 34 56 78, fijo 912 345 678, en Londres +44 20 7946 0958, correo lucia.fernandez@example.com";
        assertThat(widget.post(conversation, UUID.randomUUID(), message).status()).isEqualTo(202);
        UUID id = UUID.fromString(conversation.id());
        assertThat(jdbc.queryForObject("select text from messages where conversation_id = ? and seq = 1", String.class, id))
                .contains("•••• •••• •••• 6467").doesNotContain("4539");
        awaitAssistantHandled(id);
        jdbc.update("update conversations set state = 'AGENT', assigned_agent = 'Pablo', created_at = ? where id = ?",
                Timestamp.from(Instant.parse("2020-04-07T12:00:00Z")), id);
        long seq = jdbc.queryForObject("update conversations set last_seq = last_seq + 1 where id = ? returning last_seq", Long.class, id);
        jdbc.update("""
                insert into messages (id, conversation_id, seq, author, author_name, text, complete, created_at, completed_at)
                values (?, ?, ?, 'AGENT', 'Pablo', ?, true, now(), now())""", UUID.randomUUID(), id, seq,
                "Gracias, Lucía Fernández: te llamo al 612345678 y te escribo a lucia.fernandez@example.com.");
        jdbc.update("insert into conversation_reviews values (?, 'APPROVED', 'admin@soportemax.test', now())", id);

        List<JsonNode> lines = export("format=openai-sft&from=2020-04-07&to=2020-04-07");
        assertThat(lines).hasSize(1);
        String text = lines.getFirst().toString();
        for (String leaked : List.of("Lucía", "Fernández", "12345678Z", "X1234567L", "ES91", "2100 0418", "4539",
                "612 34 56 78", "612345678", "912 345 678", "7946", "lucia.fernandez", "example.com")) {
            assertThat(text).as(leaked).doesNotContain(leaked);
        }
        JsonNode messages = lines.getFirst().path("messages");
        String customer = messages.get(1).path("content").asString();
        assertThat(customer).contains("me llamo <NAME_1>").contains("<DNI_1>").contains("<NIE_1>").contains("<IBAN_1>")
                .contains("•••• •••• •••• 6467").contains("Móvil <PHONE_1>").contains("fijo <PHONE_2>")
                .contains("Londres <PHONE_3>").contains("correo <EMAIL_1>");
        String agent = messages.get(messages.size() - 1).path("content").asString();
        assertThat(agent).isEqualTo("Gracias, <NAME_1>: te llamo al <PHONE_1> y te escribo a <EMAIL_1>.");
    }

    @Test
    void namesInAgentRepliesCorrectionsAndSignaturesLeaveAsTheConversationsPlaceholder() {
        Instant start = Instant.parse("2020-05-12T10:00:00Z");
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(start.minus(Duration.ofHours(10))),
                Timestamp.from(start.plus(Duration.ofHours(13))));
        new ConversationFixture(jdbc).conversation(start, "es")
                .customer(Duration.ZERO, "Hola, buenos días. El pedido 4411 está a nombre de Rosa Martín y no llega.\nUn saludo, Rosa")
                .bot(Duration.ofSeconds(3), "Hola, buenos días. Tu pedido sale mañana desde el almacén.", 0.7)
                .label(2, "bad", "Hola Rosa, tu pedido sale hoy; te avisamos por correo, Sra. martin.")
                .customer(Duration.ofSeconds(30), "¿Y si no estoy en casa?")
                .escalate(Duration.ofSeconds(33), "LOW_CONFIDENCE", "Puedes recogerlo en tienda.", 0.3)
                .agent(Duration.ofMinutes(1), "Pablo", "Gracias, ROSA: el transportista te llamará antes de ir.")
                .review("APPROVED");

        List<JsonNode> sft = export("format=openai-sft&from=2020-05-12&to=2020-05-12");
        assertThat(sft).hasSize(1);
        JsonNode messages = sft.getFirst().path("messages");
        assertThat(messages.get(1).path("content").asString())
                .isEqualTo("Hola, buenos días. El pedido 4411 está a nombre de <NAME_1> y no llega.\nUn saludo, <NAME_1>");
        assertThat(messages.get(2).path("content").asString())
                .isEqualTo("Hola <NAME_1>, tu pedido sale hoy; te avisamos por correo, Sra. <NAME_1>.");
        assertThat(messages.get(4).path("content").asString())
                .isEqualTo("Gracias, <NAME_1>: el transportista te llamará antes de ir.");
        List<JsonNode> pairs = export("format=openai-dpo&from=2020-05-12&to=2020-05-12");
        assertThat(pairs).hasSize(2);
        for (JsonNode line : List.of(sft.getFirst(), pairs.get(0), pairs.get(1))) {
            assertThat(line.toString()).doesNotContainIgnoringCase("rosa").doesNotContainIgnoringCase("martin")
                    .doesNotContainIgnoringCase("martín").contains("<NAME_1>");
        }
        assertThat(pairs.toString()).contains("Hola, buenos días. Tu pedido sale mañana desde el almacén.");
    }

    @Test
    void namesWrittenWithoutAnyCueLeaveAsTheConversationsPlaceholdersAndTheColourStays() {
        assumeTrue(Files.isReadable(Path.of("/usr/share/apertium/apertium-eng-spa/spa-eng.automorf.bin"))
                        && Files.isExecutable(Path.of("/usr/bin/lt-proc")),
                "Apertium's lt-proc and the apertium-eng-spa lexicons are not installed (apt-get install "
                        + "apertium-eng-spa): names without a cue are not recognised here");
        Instant start = Instant.parse("2020-05-20T10:00:00Z");
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(start.minus(Duration.ofHours(10))),
                Timestamp.from(start.plus(Duration.ofHours(13))));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        fixture.conversation(start, "es")
                .customer(Duration.ZERO, "mi marido Pedro García no puede entrar en la cuenta")
                .bot(Duration.ofSeconds(3), "Puedes restablecer la contraseña desde «¿Has olvidado tu contraseña?».", 0.7)
                .customer(Duration.ofSeconds(30), "La funda rosa la pidió mi hija Rosa, y María José Pérez López la recoge en Valencia")
                .escalate(Duration.ofSeconds(33), "LOW_CONFIDENCE", "Puedes recogerla en tienda.", 0.3)
                .agent(Duration.ofMinutes(1), "Pablo", "He enviado el enlace a Pedro García; la funda rosa sale hoy y Rosa recibirá un aviso.")
                .review("APPROVED");
        fixture.conversation(start.plusSeconds(10), "en")
                .customer(Duration.ZERO, "Please tell John Smith that the parcel is for him, not for Rose")
                .bot(Duration.ofSeconds(3), "We will let John know when it ships from London.", 0.9)
                .review("APPROVED");

        List<JsonNode> lines = new ArrayList<>(export("format=openai-sft&from=2020-05-20&to=2020-05-20"));
        assertThat(lines).hasSize(2);
        // Lines come in the order of the conversations' ids (random): the Spanish one first here.
        lines.sort(java.util.Comparator.comparing((JsonNode line) -> !line.toString().contains("marido")));
        JsonNode spanish = lines.get(0).path("messages");
        assertThat(spanish.get(1).path("content").asString()).isEqualTo("mi marido <NAME_1> no puede entrar en la cuenta");
        assertThat(spanish.get(3).path("content").asString())
                .isEqualTo("La funda rosa la pidió mi hija <NAME_2>, y <NAME_3> la recoge en Valencia");
        assertThat(spanish.get(4).path("content").asString())
                .isEqualTo("He enviado el enlace a <NAME_1>; la funda rosa sale hoy y <NAME_2> recibirá un aviso.");
        assertThat(lines.get(0).toString()).doesNotContain("Pedro").doesNotContain("García").doesNotContain("Rosa")
                .doesNotContain("María").doesNotContain("Pérez");
        JsonNode english = lines.get(1).path("messages");
        assertThat(english.get(1).path("content").asString())
                .isEqualTo("Please tell <NAME_1> that the parcel is for him, not for <NAME_2>");
        assertThat(english.get(2).path("content").asString()).isEqualTo("We will let <NAME_1> know when it ships from London.");
    }

    @Test
    void theAgentsOwnNamesLeaveAsStaffPlaceholdersAndTheCustomersAsNamePlaceholders() {
        Instant start = Instant.parse("2020-05-22T10:00:00Z");
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(start.minus(Duration.ofHours(10))),
                Timestamp.from(start.plus(Duration.ofHours(13))));
        new ConversationFixture(jdbc).conversation(start, "es")
                .customer(Duration.ZERO, "Hola, me llamo Carmen Ortega y el router no enciende")
                .escalate(Duration.ofSeconds(3), "LOW_CONFIDENCE", "Prueba a reiniciarlo.", 0.3)
                .agent(Duration.ofMinutes(1), "Laura Gómez", "Hola Carmen, soy Laura, del equipo de soporte. Te mando un router nuevo.")
                .customer(Duration.ofMinutes(2), "Gracias Laura, ¡qué rápido!")
                .agent(Duration.ofMinutes(3), "Laura Gómez", "A ti, Carmen. Un saludo, Laura")
                .review("APPROVED");

        List<JsonNode> lines = export("format=openai-sft&from=2020-05-22&to=2020-05-22");

        assertThat(lines).hasSize(1);
        List<String> texts = new ArrayList<>();
        lines.getFirst().path("messages").forEach(m -> texts.add(m.path("role").asString() + ": " + m.path("content").asString()));
        assertThat(texts.subList(1, texts.size())).containsExactly(
                "user: Hola, me llamo <NAME_1> y el router no enciende",
                "assistant: Hola <NAME_1>, soy <AGENT_1>, del equipo de soporte. Te mando un router nuevo.",
                "user: Gracias <AGENT_1>, ¡qué rápido!",
                "assistant: A ti, <NAME_1>. Un saludo, <AGENT_1>");
        assertThat(lines.getFirst().toString()).doesNotContain("Laura").doesNotContain("Gómez").doesNotContain("Carmen");
    }

    @Test
    void theSystemMessageIsTheAssistantsOwnRenderingOfThePassagesTheAnswerWasGiven() {
        WidgetClient widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = widget.start("es");
        assertThat(widget.post(conversation, UUID.randomUUID(), "¿Cuánto tarda un envío a Canarias?").status()).isEqualTo(202);
        UUID id = UUID.fromString(conversation.id());
        awaitAssistantHandled(id);
        Map<String, Object> answer = jdbc.queryForMap("""
                select b.settings_version, b.passages->0->>'articleId' as article, b.passages->0->>'title' as title,
                    b.passages->0->>'text' as text, s.system_prompt
                from bot_answers b join assistant_settings s on s.version = b.settings_version
                where b.conversation_id = ?""", id);
        org.junit.jupiter.api.Assumptions.assumeTrue(answer.get("article") != null,
                "the seed knowledge base has no passage for the question");
        // The answer keeps the text of the very passage it was given, as the knowledge base had it.
        assertThat(jdbc.queryForList("select text from knowledge_passages where article_id = ?", String.class,
                UUID.fromString((String) answer.get("article")))).contains((String) answer.get("text"));
        jdbc.update("update conversations set created_at = ? where id = ?", Timestamp.from(Instant.parse("2020-04-09T12:00:00Z")), id);
        jdbc.update("insert into conversation_reviews values (?, 'APPROVED', 'admin@soportemax.test', now())", id);

        List<JsonNode> lines = export("format=openai-sft&from=2020-04-09&to=2020-04-09&dedupe=false");
        assertThat(lines).hasSize(1);
        String expected = com.soportemax.assistant.SystemMessage.render((String) answer.get("system_prompt"), "es", "",
                List.of(new com.soportemax.knowledge.Passage(UUID.fromString((String) answer.get("article")), null,
                        (String) answer.get("title"), (String) answer.get("text"), 0)));
        assertThat(lines.getFirst().path("messages").get(0).path("content").asString()).isEqualTo(expected)
                .contains((String) answer.get("text"));
    }

    @Test
    void theCommandLineExportWritesWhatTheDownloadGivesAndRecordsIt() throws Exception {
        reviewedDay("2020-04-08");
        String downloaded = download("format=openai-dpo&from=2020-04-08&to=2020-04-08").body();
        Path out = folder.resolve("dpo.jsonl");
        Path console = folder.resolve("console.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", applicationClassPath(),
                "com.soportemax.SoporteMaxApplication", "export-dataset", "--format=openai-dpo", "--out=" + out,
                "--from=2020-04-08", "--to=2020-04-08",
                "--spring.datasource.url=" + database.getJdbcUrl(), "--spring.datasource.username=" + database.getUsername(),
                "--spring.datasource.password=" + database.getPassword()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        boolean ended = process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES);
        if (!ended) process.destroyForcibly();
        assertThat(ended).as("the command ends within 5 minutes").isTrue();
        String printed = Files.readString(console);
        assertThat(process.exitValue()).as(printed).isZero();

        String written = Files.readString(out);
        assertThat(written).isEqualTo(downloaded);
        List<String> lines = written.lines().toList();
        assertThat(lines).hasSize(2);
        lines.forEach(line -> assertOpenAiDpoShape(WidgetClient.JSON.readTree(line)));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
        assertThat(printed).contains("Exported 2 lines (openai-dpo) to " + out + ", SHA-256 " + sha);
        assertThat(jdbc.queryForObject("select exported_by from dataset_exports where sha256 = ? and status = 'DONE'"
                + " order by started_at desc limit 1", String.class, sha)).isEqualTo("cli");
    }

    /** The application as the jar runs it: the test JVM's class path without the test classes and resources. */
    private static String applicationClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + java.io.File.separator))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private void awaitAssistantHandled(UUID conversation) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (jdbc.queryForObject("select count(*) from bot_answers where conversation_id = ?", Long.class, conversation) == 0) {
            assertThat(System.nanoTime()).as("the assistant handles the message within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private java.net.http.HttpResponse<String> download(String query) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/api/admin/datasets/export?" + query))
                    .header("Authorization", ADMIN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private List<JsonNode> export(String query) {
        java.net.http.HttpResponse<String> reply = download(query);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : reply.body().split("\n")) {
            if (!line.isEmpty()) lines.add(WidgetClient.JSON.readTree(line));
        }
        return lines;
    }

    private static List<String> roles(JsonNode messages) {
        List<String> roles = new ArrayList<>();
        messages.forEach(m -> roles.add(m.path("role").asString()));
        return roles;
    }

    // The schemas of the formats, checked on every line: exactly these keys, these types.
    private static void assertKeys(JsonNode node, String... keys) {
        List<String> names = new ArrayList<>(node.propertyNames());
        assertThat(names).as(node.toString()).containsExactlyInAnyOrder(keys);
    }

    private static void assertMessage(JsonNode message, Set<String> roles, boolean weightAllowed) {
        assertThat(message.isObject()).isTrue();
        if (message.has("weight")) {
            assertThat(weightAllowed && message.path("role").asString().equals("assistant")).as(message.toString()).isTrue();
            assertThat(message.path("weight").asInt()).isIn(0, 1);
            assertKeys(message, "role", "content", "weight");
        } else {
            assertKeys(message, "role", "content");
        }
        assertThat(message.path("role").asString()).isIn(roles);
        assertThat(message.path("content").isString()).isTrue();
        assertThat(message.path("content").asString()).isNotBlank();
    }

    private static void assertConversation(JsonNode messages, boolean weightAllowed) {
        assertThat(messages.isArray()).isTrue();
        assertThat(messages.size()).isGreaterThanOrEqualTo(2);
        assertThat(messages.get(0).path("role").asString()).isEqualTo("system");
        messages.forEach(m -> assertMessage(m, Set.of("system", "user", "assistant"), weightAllowed));
    }

    private static void assertCompletion(JsonNode completion) {
        assertThat(completion.isArray()).isTrue();
        assertThat(completion.size()).isEqualTo(1);
        assertMessage(completion.get(0), Set.of("assistant"), false);
    }

    static void assertSftShape(JsonNode line) {
        assertKeys(line, "messages");
        assertConversation(line.path("messages"), true);
        assertThat(roles(line.path("messages"))).contains("assistant");
    }

    static void assertOpenAiDpoShape(JsonNode line) {
        assertKeys(line, "input", "preferred_output", "non_preferred_output");
        assertKeys(line.path("input"), "messages");
        assertConversation(line.path("input").path("messages"), false);
        assertThat(line.path("input").path("messages").get(line.path("input").path("messages").size() - 1)
                .path("role").asString()).isEqualTo("user");
        assertCompletion(line.path("preferred_output"));
        assertCompletion(line.path("non_preferred_output"));
    }

    static void assertTrlDpoShape(JsonNode line) {
        assertKeys(line, "prompt", "chosen", "rejected");
        assertConversation(line.path("prompt"), false);
        assertCompletion(line.path("chosen"));
        assertCompletion(line.path("rejected"));
    }

    static void assertKtoShape(JsonNode line) {
        assertKeys(line, "prompt", "completion", "label");
        assertConversation(line.path("prompt"), false);
        assertCompletion(line.path("completion"));
        assertThat(line.path("label").isBoolean()).isTrue();
    }

    @SuppressWarnings("unused")
    private static String only(String regex, String text) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? matcher.group() : null;
    }
}

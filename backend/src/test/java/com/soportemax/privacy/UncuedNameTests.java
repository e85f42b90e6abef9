package com.soportemax.privacy;

import com.soportemax.privacy.internal.PrivacySettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * People's names written without any cue, found with Apertium's Spanish and English lexicons (Debian's
 * {@code apertium-eng-spa}; the tests that need it are skipped where it is not installed).
 */
@ExtendWith(OutputCaptureExtension.class)
class UncuedNameTests {

    static final Path LEXICONS = Path.of("/usr/share/apertium/apertium-eng-spa");
    private static NameLexicon lexicon;

    static boolean apertiumInstalled() {
        return Files.isReadable(LEXICONS.resolve("spa-eng.automorf.bin"))
                && Files.isReadable(LEXICONS.resolve("eng-spa.automorf.bin"))
                && Files.isExecutable(Path.of("/usr/bin/lt-proc"));
    }

    static NameLexicon lexicon(String folder, String ltProc, String... notNames) {
        return new NameLexicon(new PrivacySettings(folder, ltProc, Duration.ofSeconds(5), List.of(notNames)));
    }

    @BeforeAll
    static void start() {
        lexicon = lexicon(LEXICONS.toString(), "lt-proc", "Alexa");
    }

    @AfterAll
    static void stop() {
        lexicon.close();
    }

    private static Redactor redactor() {
        assumeTrue(apertiumInstalled(), "Apertium's lt-proc and the apertium-eng-spa lexicons are not installed "
                + "(apt-get install apertium-eng-spa): names without a cue cannot be recognised here");
        assertThat(lexicon.available()).isTrue();
        return Redactor.forConversation(lexicon);
    }

    @Test
    void aGivenNameAndSurnamesWithoutAnyCueBecomeOnePlaceholder() {
        Redactor redactor = redactor();
        assertThat(redactor.redact("mi marido Pedro García no puede entrar en la cuenta"))
                .isEqualTo("mi marido <NAME_1> no puede entrar en la cuenta");
        assertThat(redactor.redact("El paquete lo recogerá María José Pérez López el lunes."))
                .isEqualTo("El paquete lo recogerá <NAME_2> el lunes.");
        assertThat(redactor.redact("Please tell John Smith that the parcel is late"))
                .isEqualTo("Please tell <NAME_3> that the parcel is late");
        assertThat(redactor.redact("El titular es José de la Fuente")).isEqualTo("El titular es <NAME_4>");
    }

    @Test
    void aWordTheCompanysArticlesWriteInLowerCaseIsNoNameEvenCapitalised() {
        assumeTrue(apertiumInstalled(), "Apertium's lexicons are not installed (apt-get install apertium-eng-spa)");
        String message = "Bono social: q papeles necesito? lo pide Pedro García";
        try (NameLexicon withArticles = new NameLexicon(new PrivacySettings(LEXICONS.toString(), "lt-proc",
                Duration.ofSeconds(5), List.of()), () -> () -> java.util.Set.of("bono", "social", "papeles", "rosa"))) {
            assertThat(Redactor.forConversation(lexicon).redact(message)).startsWith("<NAME_1> social:");
            assertThat(Redactor.forConversation(withArticles).redact(message))
                    .isEqualTo("Bono social: q papeles necesito? lo pide <NAME_1>");
            // "rosa" is a common word as well as a name: the articles' "funda rosa" does not unmask a daughter
            assertThat(Redactor.forConversation(withArticles).redact("el pedido es para mi hija Rosa"))
                    .isEqualTo("el pedido es para mi hija <NAME_1>");
        }
    }

    @Test
    void thePlaceholderOfAPersonIsTheSameInEveryMessageOfTheConversation() {
        Redactor redactor = redactor();
        redactor.learnNames("Pedro dice que ya puede entrar");
        redactor.learnNames("mi marido Pedro García no puede entrar");
        assertThat(redactor.redact("Pedro dice que ya puede entrar")).isEqualTo("<NAME_1> dice que ya puede entrar");
        assertThat(redactor.redact("mi marido Pedro García no puede entrar")).isEqualTo("mi marido <NAME_1> no puede entrar");
        assertThat(redactor.redact("García, P.")).isEqualTo("<NAME_1>, P.");
        assertThat(Redactor.forConversation(lexicon).redact("Llamó García")).isEqualTo("Llamó <NAME_1>");
    }

    @Test
    void surnamesTheLexiconLacksAfterAGivenNameAreOneNameWithIt() {
        Redactor redactor = redactor();
        assertThat(redactor.redact("El pedido lo firmó Carmen Ortega ayer")).isEqualTo("El pedido lo firmó <NAME_1> ayer");
        assertThat(redactor.redact("Lo recoge Juan Pérez-Reverte en tienda")).isEqualTo("Lo recoge <NAME_2> en tienda");
        assertThat(redactor.redact("Ortega no estaba")).isEqualTo("<NAME_1> no estaba");
        // A capitalised verb after a name is no surname.
        assertThat(Redactor.forConversation(lexicon).redact("Gracias Pedro Quiero saber más"))
                .isEqualTo("Gracias <NAME_1> Quiero saber más");
    }

    @Test
    void aNameThatIsAlsoAWordIsANameOnlyWhereWrittenAsOne() {
        Redactor redactor = redactor();
        assertThat(redactor.redact("Quería la camiseta rosa, pero a mi hija Rosa le gusta la azul"))
                .isEqualTo("Quería la camiseta rosa, pero a mi hija <NAME_1> le gusta la azul");
        // Learned as a name in this conversation, it is still a colour where written in lower case.
        assertThat(redactor.redact("Rosa dice que la rosa también vale")).isEqualTo("<NAME_1> dice que la rosa también vale");
        // Opening a sentence alone, it may be the colour or the flower: kept.
        assertThat(Redactor.forConversation(lexicon).redact("Rosa o azul, me da igual"))
                .isEqualTo("Rosa o azul, me da igual");
        assertThat(Redactor.forConversation(lexicon).redact("No hay luz en casa y Luz Martínez no contesta"))
                .isEqualTo("No hay luz en casa y <NAME_1> no contesta");
    }

    @Test
    void placesOrganisationsProductsAndTitlesAreNotNames() {
        Redactor redactor = redactor();
        for (String text : List.of("Envío a Madrid y a Buenos Aires con Correos", "Pago con Apple Pay o Google Pay",
                "Durante el Black Friday, Navidad y las rebajas", "Beneficiarios del Ingreso Mínimo Vital",
                "Tenemos tiendas en Londres, en San Marino y en Valencia", "We ship to London and Paris",
                "Mi Alexa no se conecta", "Hola, Buenos días", "Soy cliente de SoporteMax desde hace años",
                "Quiero devolver el iPhone", "Mark the parcel as returned. Will you refund it?")) {
            assertThat(redactor.redact(text)).as(text).isEqualTo(text);
        }
        assertThat(redactor.counts()).doesNotContainKey(Redactor.Kind.NAME);
    }

    @Test
    void theSeedKnowledgeBaseTheAssistantQuotesComesOutUnchanged() throws IOException {
        redactor();
        List<String> changed = new ArrayList<>();
        for (String seed : List.of("knowledge/seed-es.json", "knowledge/seed-en.json")) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(seed)) {
                assertThat(in).as(seed).isNotNull();
                for (JsonNode article : JsonMapper.builder().build().readTree(in)) {
                    for (String text : List.of(article.path("title").asString(), article.path("body").asString())) {
                        String redacted = Redactor.forConversation(lexicon).redact(text);
                        if (!redacted.equals(text)) changed.add(redacted);
                    }
                }
            }
        }
        assertThat(changed).isEmpty();
    }

    @Test
    void withoutApertiumNamesAreStillFoundByTheirCuesAndOneWarningSaysWhy(CapturedOutput output) {
        NameLexicon missing = lexicon("/nonexistent/apertium-eng-spa", "lt-proc");
        Redactor redactor = Redactor.forConversation(missing);
        assertThat(redactor.redact("Hola, me llamo Lucía Fernández")).isEqualTo("Hola, me llamo <NAME_1>");
        assertThat(redactor.redact("mi marido Pedro García no puede entrar, dice Lucía"))
                .isEqualTo("mi marido Pedro García no puede entrar, dice <NAME_1>");
        assertThat(Redactor.forConversation(missing).redact("Gracias, Pedro.")).isEqualTo("Gracias, <NAME_1>.");
        assertThat(missing.available()).isFalse();
        assertThat(output.getOut().split("do not run: people's names are recognised only where a cue", -1)).hasSize(2);
    }

    @Test
    void aMissingLtProcProgramFallsBackToTheCues(CapturedOutput output) {
        assumeTrue(apertiumInstalled(), "the apertium-eng-spa lexicons are not installed");
        NameLexicon broken = lexicon(LEXICONS.toString(), "/nonexistent/lt-proc");
        assertThat(Redactor.forConversation(broken).redact("Soy Ana y mi marido Pedro García no puede entrar"))
                .isEqualTo("Soy <NAME_1> y mi marido Pedro García no puede entrar");
        assertThat(output.getOut().lines().filter(line -> line.contains("WARN") && line.contains("Apertium")))
                .singleElement().asString().contains("do not run");
    }

    @Test
    void aNameCueAndLexiconAgreeOnTheCommonWordRule() {
        Redactor redactor = redactor();
        // Given with a cue, "Rosa" is still replaced in capitals and kept as the colour.
        assertThat(redactor.redact("Hola, me llamo Rosa")).isEqualTo("Hola, me llamo <NAME_1>");
        assertThat(redactor.redact("ROSA, tu camiseta rosa sale hoy")).isEqualTo("<NAME_1>, tu camiseta rosa sale hoy");
    }

    @Test
    void anAmbiguousGivenNameOpeningASentenceIsANameWhenItIsTheSubjectOfWhatAPersonDoes() {
        Redactor redactor = redactor();
        assertThat(redactor.redact("Rosa me dijo que el pedido llegaba hoy, pero no ha llegado."))
                .isEqualTo("<NAME_1> me dijo que el pedido llegaba hoy, pero no ha llegado.");
        assertThat(redactor.redact("Buenas tardes. Pilar llamó ayer por la devolución y nadie le contestó"))
                .isEqualTo("Buenas tardes. <NAME_2> llamó ayer por la devolución y nadie le contestó");
        assertThat(Redactor.forConversation(lexicon).redact("Rose called yesterday about the refund."))
                .isEqualTo("<NAME_1> called yesterday about the refund.");
        // The colour, the light, the peace: what follows is no person's doing.
        for (String text : List.of("Rosa es mi color favorito, ¿la tenéis en la talla M?",
                "Rosa cuesta lo mismo que la azul?", "Luz no hay en el local desde ayer", "Paz y tranquilidad, eso busco",
                "Rosa o azul, me da igual", "Luz funciona pero el gas no", "Sol da mucho en la terraza",
                "Luz me da problemas desde ayer", "Rosa combina con todo")) {
            assertThat(Redactor.forConversation(lexicon).redact(text)).as(text).isEqualTo(text);
        }
    }

    @Test
    void aGivenNameThatIsAWordFollowedByASurnameThatIsAWordIsAFullName() {
        Redactor redactor = redactor();
        assertThat(redactor.redact("Me atendió Rosa Castillo y me prometió el reembolso en una semana"))
                .isEqualTo("Me atendió <NAME_1> y me prometió el reembolso en una semana");
        assertThat(redactor.redact("Castillo no ha vuelto a escribir; el castillo de juguete sigue roto"))
                .isEqualTo("<NAME_1> no ha vuelto a escribir; el castillo de juguete sigue roto");
        assertThat(Redactor.forConversation(lexicon).redact("Rosa Castillo llamó para cambiar la dirección"))
                .isEqualTo("<NAME_1> llamó para cambiar la dirección");
        assertThat(Redactor.forConversation(lexicon).redact("El titular es Pilar Prado Molina, mi madre"))
                .isEqualTo("El titular es <NAME_1>, mi madre");
        // A colour and a noun in a product's title, a place, a street: no one.
        for (String text : List.of("Tengo la Funda Rosa Palo del móvil", "La quiero en Rosa Palo",
                "Rosa Palo o Verde Botella, ¿cuál queda mejor?", "We ship to Rose Street and Victoria Park")) {
            assertThat(Redactor.forConversation(lexicon).redact(text)).as(text).isEqualTo(text);
        }
    }

    @Test
    void namesWrittenInCapitalsAreNamesAndWordsInCapitalsAreNot() {
        Redactor redactor = redactor();
        assertThat(redactor.redact("Titular: MARÍA GARCÍA LÓPEZ, DNI 12345678Z"))
                .isEqualTo("Titular: <NAME_1>, DNI <DNI_1>");
        assertThat(redactor.redact("gracias, maría, ya está")).isEqualTo("gracias, <NAME_1>, ya está");
        assertThat(Redactor.forConversation(lexicon).redact("HOLA SOY ROSA GARCÍA Y NO ME LLEGA LA FACTURA"))
                .isEqualTo("HOLA SOY <NAME_1> Y NO ME LLEGA LA FACTURA");
        assertThat(Redactor.forConversation(lexicon).redact("PLEASE CALL JOHN SMITH TODAY"))
                .isEqualTo("PLEASE CALL <NAME_1> TODAY");
        for (String text : List.of("URGENTE: FACTURA DUPLICADA", "NO FUNCIONA EL WIFI NI EL PAGO POR IBAN",
                "Pagué la FACTURA por BIZUM y el IBAN no aparece", "QUIERO LA FUNDA ROSA", "EL PEDIDO NO HA LLEGADO",
                "Mi DNI y el PIN de la SIM", "WE SHIP TO LONDON AND MADRID")) {
            assertThat(Redactor.forConversation(lexicon).redact(text)).as(text).isEqualTo(text);
        }
    }
}

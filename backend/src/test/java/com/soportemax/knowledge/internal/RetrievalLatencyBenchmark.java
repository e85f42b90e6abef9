package com.soportemax.knowledge.internal;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.EmbeddingModels;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.knowledge.Retrieval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency of the retrieval step (a benchmark, not a test: it asserts nothing and runs only when asked):
 * <pre>
 *   ./mvnw -B -q -pl backend -am test -Dtest=RetrievalLatencyBenchmark -Dsoportemax.benchmark=true \
 *       -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * A generated knowledge base of 1,000 articles (Spanish support-style text, split by the real {@link PassageSplitter})
 * is indexed in memory ({@link LexicalIndex}, and a {@link SemanticIndex} of one vector per passage); each of the
 * questions is then ranked as {@link PassageSearch} ranks it: lexical BM25F, the question embedded by
 * all-MiniLM-L6-v2 ({@code ../shared/models}), cosine against every passage, standardised-score fusion. Printed: median and
 * p90 of that step, and of its parts. The passages' vectors are random unit vectors unless
 * {@code -Dsoportemax.benchmark.embed-passages=true} (embedding 3,000 passages takes minutes here): the cost of a cosine
 * does not depend on the values. Not included: the two cheap "has anything changed" queries a node makes per question.
 */
class RetrievalLatencyBenchmark {

    static final int ARTICLES = Integer.getInteger("soportemax.benchmark.articles", 1000);
    static final int QUESTIONS = Integer.getInteger("soportemax.benchmark.questions", 300);
    static final int WARM_UP = 60;

    private static final String[] TOPICS = {"pedido", "envío", "devolución", "reembolso", "factura", "pago", "tarjeta",
            "cuenta", "contraseña", "garantía", "reparación", "suscripción", "cupón", "descuento", "tienda", "paquete",
            "entrega", "dirección", "teléfono", "correo", "aplicación", "tarifa", "contrato", "permanencia", "alta",
            "baja", "portabilidad", "router", "fibra", "móvil", "datos", "roaming", "recibo", "domiciliación",
            "lectura", "contador", "potencia", "instalación", "cita", "técnico", "avería", "incidencia", "queja",
            "reclamación", "privacidad", "newsletter", "puntos", "regalo", "talla", "cambio"};
    private static final String[] ACTIONS = {"cambiar", "cancelar", "solicitar", "consultar", "modificar", "pagar",
            "recibir", "activar", "desactivar", "renovar", "recuperar", "descargar", "enviar", "revisar", "ampliar"};
    private static final String[] FILLER = ("el la los las de del en para con por sin que se su sus un una al cuando "
            + "si no más puede pueden debe días horas plazo desde hasta hoy cliente clientes web área personal "
            + "llamar escribir formulario número importe euros mes año semana primero después antes también").split(" ");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$");

    @Test
    @EnabledIfSystemProperty(named = "soportemax.benchmark", matches = "true")
    void measure() throws Exception {
        Path modelFile = Path.of(System.getProperty("soportemax.shared", "../shared"), "models",
                "all-minilm-l6-v2-f16.gguf");
        if (!Files.isRegularFile(modelFile)) {
            System.out.println("RetrievalLatencyBenchmark: " + modelFile.toAbsolutePath() + " is absent; nothing measured");
            return;
        }
        Random random = new Random(42);
        List<LexicalIndex.Source> sources = knowledgeBase(random);
        long started = System.nanoTime();
        LexicalIndex index = LexicalIndex.of(sources);
        long indexMillis = (System.nanoTime() - started) / 1_000_000;
        Path thesaurusFile = Path.of("/usr/share/mythes/th_es_ES_v2.dat");
        Thesaurus thesaurus = Files.isReadable(thesaurusFile) ? Thesaurus.read(thesaurusFile) : Thesaurus.EMPTY;

        int threads = Integer.getInteger("soportemax.benchmark.threads", 1);
        try (EmbeddingModel model = EmbeddingModels.load(modelFile, new EngineOptions(threads, 1, 64, 0))) {
            SemanticIndex semantic = SemanticIndex.of(index, vectors(index, model, random), "");
            HybridRanking fusion = new HybridRanking(0.3, 0.4);
            // -Dsoportemax.benchmark.translate=true: the model reads English, each Spanish question is translated first
            boolean translate = Boolean.getBoolean("soportemax.benchmark.translate");
            Translator translator = translate ? new Translator("apertium") : Translator.NONE;
            SemanticModel.Ready reader = new SemanticModel.Ready(model, model, "benchmark", "", "",
                    translate ? TextAnalysis.Language.EN : null, translator);
            List<String> questions = questions(random, QUESTIONS + WARM_UP);

            long[] total = new long[QUESTIONS];
            long[] lexical = new long[QUESTIONS];
            long[] embedding = new long[QUESTIONS];
            int found = 0;
            for (int i = 0; i < questions.size(); i++) {
                String question = questions.get(i);
                long t0 = System.nanoTime();
                Retrieval retrieval = PassageSearch.rank(index, thesaurus, Translator.NONE, question, "es", 5, 2,
                        () -> semantic.cosines(reader.embedQuery(question, TextAnalysis.Language.ES)), fusion);
                long t1 = System.nanoTime();
                PassageSearch.rank(index, thesaurus, Translator.NONE, question, "es", 5, 2);
                long t2 = System.nanoTime();
                reader.embedQuery(question, TextAnalysis.Language.ES);
                long t3 = System.nanoTime();
                if (i < WARM_UP) continue;
                int q = i - WARM_UP;
                total[q] = t1 - t0;
                lexical[q] = t2 - t1;
                embedding[q] = t3 - t2;
                if (!retrieval.passages().isEmpty()) found++;
            }
            System.out.printf(Locale.ROOT, "RetrievalLatencyBenchmark: %d articles, %d passages (%d with a vector, %d "
                            + "dimensions), lexical index built in %d ms; %d questions (after %d warm-up), %d with "
                            + "passages; embedding threads %d, %d cores, questions translated: %s%n", ARTICLES, index.size(), semantic.rows(),
                    semantic.dimension(), indexMillis, QUESTIONS, WARM_UP, found, threads,
                    Runtime.getRuntime().availableProcessors(), translate);
            report("retrieval step (lexical + semantic, question embedded)", total);
            report("  lexical ranking alone", lexical);
            report("  embedding the question alone", embedding);
        }
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-58s median %6.1f ms   p90 %6.1f ms%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.floor(sorted.length * 0.9)] / 1e6);
    }

    private static java.util.Map<String, float[]> vectors(LexicalIndex index, EmbeddingModel model, Random random) {
        boolean embed = Boolean.getBoolean("soportemax.benchmark.embed-passages");
        java.util.Map<String, float[]> vectors = new java.util.HashMap<>();
        List<PassageText> texts = new ArrayList<>();
        for (int doc = 0; doc < index.size(); doc++) {
            LexicalIndex.Source source = index.doc(doc).source();
            texts.add(PassageText.of("", source.title(), source.text()));
        }
        if (embed) {
            List<float[]> embedded = model.embedAll(texts.stream().map(PassageText::text).toList());
            for (int i = 0; i < texts.size(); i++) vectors.put(texts.get(i).sha256(), embedded.get(i));
            return vectors;
        }
        for (PassageText text : texts) {
            float[] v = new float[model.dimension()];
            double norm = 0;
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) random.nextGaussian();
                norm += v[j] * v[j];
            }
            for (int j = 0; j < v.length; j++) v[j] /= (float) Math.sqrt(norm);
            vectors.put(text.sha256(), v);
        }
        return vectors;
    }

    /** Articles of a few sections each, about a topic and an action, with headings, like a help centre's. */
    private static List<LexicalIndex.Source> knowledgeBase(Random random) {
        PassageSplitter splitter = new PassageSplitter(600, 900, 200);
        List<LexicalIndex.Source> sources = new ArrayList<>();
        for (int a = 0; a < ARTICLES; a++) {
            String topic = pick(TOPICS, random);
            String action = pick(ACTIONS, random);
            String title = "Cómo " + action + " " + topic + " " + pick(TOPICS, random) + " (" + a + ")";
            StringBuilder body = new StringBuilder();
            int sections = 2 + random.nextInt(3);
            for (int s = 0; s < sections; s++) {
                body.append("## ").append(capitalised(pick(ACTIONS, random))).append(' ').append(pick(TOPICS, random))
                        .append("\n\n");
                for (int p = 0; p < 1 + random.nextInt(2); p++) {
                    body.append(sentence(random, topic)).append(' ').append(sentence(random, topic)).append(' ')
                            .append(sentence(random, topic)).append("\n\n");
                }
            }
            UUID id = UUID.randomUUID();
            List<String> passages = splitter.split(body.toString());
            for (int position = 0; position < passages.size(); position++) {
                String text = passages.get(position);
                List<String> headings = new ArrayList<>();
                StringBuilder rest = new StringBuilder();
                for (String line : text.split("\n")) {
                    Matcher heading = HEADING.matcher(line.strip());
                    if (heading.matches()) headings.add(heading.group(1));
                    else rest.append(line).append('\n');
                }
                sources.add(new LexicalIndex.Source(id, "bench-" + a, position, title, "es", List.of(topic),
                        String.join(" . ", headings), rest.toString(), text, body.toString()));
            }
        }
        return sources;
    }

    private static String sentence(Random random, String topic) {
        StringBuilder s = new StringBuilder(capitalised(pick(FILLER, random)));
        int words = 10 + random.nextInt(12);
        for (int w = 0; w < words; w++) {
            int kind = random.nextInt(10);
            s.append(' ').append(kind < 2 ? topic : kind < 4 ? pick(TOPICS, random) : kind < 5 ? pick(ACTIONS, random)
                    : pick(FILLER, random));
        }
        return s.append('.').toString();
    }

    /** Questions as customers type them: a topic or two, an action, sometimes a typo or no accents. */
    private static List<String> questions(Random random, int count) {
        String[] openings = {"como puedo", "quiero", "no puedo", "necesito", "se puede", "donde", "cuanto tarda",
                "ayuda para", "hola, quiero", "me gustaria"};
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String q = pick(openings, random) + " " + pick(ACTIONS, random) + " mi " + pick(TOPICS, random)
                    + (random.nextBoolean() ? " y el " + pick(TOPICS, random) : "") + (random.nextBoolean() ? "?" : "");
            if (random.nextInt(3) == 0) q = q.replace('ó', 'o').replace('í', 'i').replace('é', 'e');
            if (random.nextInt(4) == 0 && q.length() > 12) {
                int at = 8 + random.nextInt(q.length() - 10);
                q = q.substring(0, at) + q.substring(at + 1);
            }
            questions.add(q);
        }
        return questions;
    }

    private static String pick(String[] words, Random random) {
        return words[random.nextInt(words.length)];
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}

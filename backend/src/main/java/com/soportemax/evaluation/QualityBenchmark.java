package com.soportemax.evaluation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate --kb kb.json --questions questions.jsonl [--model F] [--json out.json] [--set key=value]...}:
 * for each mode (retrieval-only; with the model {@code F} when given) starts the application on a fresh database,
 * imports the knowledge base through the admin API, sends every message in a fresh widget conversation, and prints
 * the figures ({@link QualityReport}).
 */
public final class QualityBenchmark {

    static final String USAGE = """
            usage: evaluate --kb kb.json --questions questions.jsonl [--model model.gguf|hf:owner/repo/file.gguf]
                            [--json out.json] [--timeout 30s] [--set soportemax.some.setting=value]...
              --kb         knowledge base: JSON array of {"id","title","body","tags"} (optional "language" es|en);
                           may be given more than once
              --questions  one JSON object a line: {"q","expect":"answer","article"} or {"q","expect":"escalate","why"}
                           (optional "locale" es|en, otherwise guessed from the words)
              --model      also run with this language model (otherwise retrieval-only mode only)
              --json       write every figure and every message's outcome to this file
              --timeout    how long to wait for the reply to one message (default 30s, 300s with a model)
              --set        an application setting for both runs, e.g. --set soportemax.knowledge.embedding-model=none""";

    /** What to run. */
    record Options(List<Path> kb, Path questions, String model, Path json, Duration timeout, Map<String, String> settings) {

        static Options parse(String[] args) {
            List<Path> kb = new ArrayList<>();
            Path questions = null;
            String model = null;
            Path json = null;
            Duration timeout = null;
            Map<String, String> settings = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) throw new IllegalArgumentException("");
                if (i + 1 >= args.length) throw new IllegalArgumentException(option + " needs a value");
                String value = args[++i];
                switch (option) {
                    case "--kb" -> kb.add(Path.of(value));
                    case "--questions" -> questions = Path.of(value);
                    case "--model" -> model = value;
                    case "--json" -> json = Path.of(value);
                    case "--timeout" -> timeout = Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
                    case "--set" -> {
                        int equals = value.indexOf('=');
                        if (equals < 1) throw new IllegalArgumentException("--set takes key=value, got " + value);
                        settings.put(value.substring(0, equals), value.substring(equals + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (kb.isEmpty() || questions == null) {
                throw new IllegalArgumentException("--kb and --questions are required");
            }
            List<Path> files = new ArrayList<>(kb);
            files.add(questions);
            for (Path file : files) {
                if (!Files.isReadable(file)) throw new IllegalArgumentException("cannot read " + file);
            }
            return new Options(List.copyOf(kb), questions, model, json, timeout, settings);
        }

        Duration timeoutFor(boolean withModel) {
            return timeout != null ? timeout : withModel ? Duration.ofSeconds(300) : Duration.ofSeconds(30);
        }
    }

    private QualityBenchmark() {
    }

    /** The command line entry point; returns the process exit status. */
    public static int main(Class<?> application, String[] args, PrintStream out) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) out.println("evaluate: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        try {
            List<QualityReport> reports = run(application, options, out);
            if (options.json() != null) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("kb", options.kb().stream().map(Path::toString).toList());
                json.put("questions", options.questions().toString());
                json.put("modes", reports.stream().map(QualityReport::json).toList());
                Files.writeString(options.json(), EvaluationSet.JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json));
                out.println("wrote " + options.json());
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println("evaluate: " + e.getMessage());
            return 1;
        }
    }

    /** Runs every mode the options ask for, printing each report as it completes. */
    static List<QualityReport> run(Class<?> application, Options options, PrintStream out) throws IOException {
        EvaluationSet set = EvaluationSet.read(options.kb(), options.questions());
        List<QualityReport> reports = new ArrayList<>();
        reports.add(runMode(application, set, "retrieval-only", "none", options, out));
        if (options.model() != null) {
            reports.add(runMode(application, set, "model", options.model(), options, out));
        }
        return reports;
    }

    static QualityReport runMode(Class<?> application, EvaluationSet set, String mode, String model, Options options,
                                 PrintStream out) {
        boolean withModel = !model.equals("none");
        try (ApplicationUnderTest app = ApplicationUnderTest.start(application, model, options.settings())) {
            app.importArticles(set.articles());
            String assistant = app.awaitAssistant(Duration.ofMinutes(30));
            if (withModel && !assistant.startsWith("LLM")) {
                throw new IllegalStateException("the model did not load: " + assistant);
            }
            String semantic = app.awaitSemanticRetrieval(Duration.ofMinutes(60));
            String embeddingModel = options.settings().getOrDefault("soportemax.knowledge.embedding-model", "none");
            if (!embeddingModel.equalsIgnoreCase("none") && !semantic.equals("READY")) {
                throw new IllegalStateException("the embedding model did not load: " + semantic);
            }
            if (semantic.equals("READY")) assistant += ", semantic retrieval with " + embeddingModel;
            List<QualityReport.Outcome> outcomes = new ArrayList<>();
            for (EvaluationSet.Question question : set.questions()) {
                List<String> ranked = question.answerable()
                        ? app.rankedArticles(question.text(), question.locale(), QualityReport.RANKED) : List.of();
                ApplicationUnderTest.Reply reply = app.ask(question.text(), question.locale(),
                        options.timeoutFor(withModel));
                outcomes.add(new QualityReport.Outcome(question, ranked, reply));
            }
            QualityReport report = new QualityReport(mode, assistant, outcomes);
            out.print(report.text());
            out.flush();
            return report;
        }
    }
}

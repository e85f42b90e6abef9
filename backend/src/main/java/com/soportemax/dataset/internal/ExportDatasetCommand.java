package com.soportemax.dataset.internal;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar soportemax.jar export-dataset --format=openai-dpo --out=data.jsonl [--from=2026-11-01]
 * [--to=2026-11-30] [--approved-only=false] [--part=train|validation] [--validation-share=0.1] [--dedupe=false]}:
 * the same export as the admin page, written to a file, recorded as exported by "cli".
 */
@Component
class ExportDatasetCommand implements ApplicationRunner {

    static final String COMMAND = "export-dataset";

    private final DatasetExports exports;
    private final ApplicationContext context;

    ExportDatasetCommand(DatasetExports exports, ApplicationContext context) {
        this.exports = exports;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (arguments.getNonOptionArgs().isEmpty() || !arguments.getNonOptionArgs().getFirst().equals(COMMAND)) return;
        int status = 0;
        PrintStream console = System.out;
        try {
            ExportRequest request = request(arguments);
            Path out = Path.of(single(arguments, "out", null, true));
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                ExportRecord record = exports.export(request, file, "cli");
                console.printf("Exported %d lines (%s) to %s, SHA-256 %s%n", record.lines(), record.format(), out,
                        record.sha256());
            }
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException | IOException e) {
            System.err.println("export-dataset: " + e.getMessage());
            status = 2;
        }
        int exit = status;
        System.exit(SpringApplication.exit(context, (ExitCodeGenerator) () -> exit));
    }

    static ExportRequest request(ApplicationArguments arguments) {
        DatasetFormat format = DatasetFormat.of(single(arguments, "format", null, true));
        String from = single(arguments, "from", null, false);
        String to = single(arguments, "to", null, false);
        String part = single(arguments, "part", "all", false);
        return new ExportRequest(format, from == null ? null : LocalDate.parse(from), to == null ? null : LocalDate.parse(to),
                Boolean.parseBoolean(single(arguments, "approved-only", "true", false)),
                ExportRequest.Part.valueOf(part.toUpperCase(Locale.ROOT)),
                Double.parseDouble(single(arguments, "validation-share", "0.1", false)),
                Boolean.parseBoolean(single(arguments, "dedupe", "true", false)));
    }

    private static String single(ApplicationArguments arguments, String name, String fallback, boolean required) {
        List<String> values = arguments.getOptionValues(name);
        if (values == null || values.isEmpty()) {
            if (required) throw new IllegalArgumentException("--" + name + "=… is required");
            return fallback;
        }
        return values.getLast();
    }
}

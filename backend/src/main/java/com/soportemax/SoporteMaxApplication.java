package com.soportemax;

import com.soportemax.evaluation.QualityBenchmark;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SoporteMax platform: customer chat, knowledge base, embedded LLM, escalation to agents. With {@code evaluate}
 * as first argument it runs the answer-quality benchmark instead ({@link QualityBenchmark}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
public class SoporteMaxApplication {

    /**
     * What a command (export-dataset) leaves out: listening for HTTP (the web application is still built, as the
     * security set-up needs it), the scheduled jobs (mail, retention, resubmitting the server's pending work),
     * replaying the server's outstanding events, and loading a language model.
     */
    static final List<String> COMMAND_DEFAULTS = List.of("--server.port=-1", "--soportemax.background-jobs=false",
            "--spring.modulith.events.republish-outstanding-events-on-restart=false", "--soportemax.model=none");

    /** The scheduled jobs, on unless {@code soportemax.background-jobs=false} (commands). */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnProperty(name = "soportemax.background-jobs", havingValue = "true", matchIfMissing = true)
    static class BackgroundJobs {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("evaluate")) {
            int status = QualityBenchmark.main(SoporteMaxApplication.class, Arrays.copyOfRange(args, 1, args.length),
                    System.out);
            System.exit(status);
        }
        SpringApplication application = new SpringApplication(SoporteMaxApplication.class);
        if (args.length > 0 && args[0].equals("export-dataset")) {
            // A command (dataset.internal.ExportDatasetCommand): exits when done.
            args = withCommandDefaults(args);
        }
        application.run(args);
    }

    /** The command's arguments with {@link #COMMAND_DEFAULTS} added where the arguments do not set them. */
    static String[] withCommandDefaults(String[] args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        for (String option : COMMAND_DEFAULTS) {
            String name = option.substring(0, option.indexOf('=') + 1);
            if (all.stream().noneMatch(arg -> arg.startsWith(name))) all.add(option);
        }
        return all.toArray(String[]::new);
    }
}

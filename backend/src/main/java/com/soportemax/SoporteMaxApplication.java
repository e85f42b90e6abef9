package com.soportemax;

import com.soportemax.evaluation.QualityBenchmark;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.util.Arrays;

/**
 * The SoporteMax platform: customer chat, knowledge base, embedded LLM, escalation to agents. With {@code evaluate}
 * as first argument it runs the answer-quality benchmark instead ({@link QualityBenchmark}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
@EnableScheduling
public class SoporteMaxApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("evaluate")) {
            int status = QualityBenchmark.main(SoporteMaxApplication.class, Arrays.copyOfRange(args, 1, args.length),
                    System.out);
            System.exit(status);
        }
        SpringApplication application = new SpringApplication(SoporteMaxApplication.class);
        if (args.length > 0 && args[0].equals("export-dataset")) {
            // A command (dataset.internal.ExportDatasetCommand): no web server, exit when done.
            application.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
        }
        application.run(args);
    }
}

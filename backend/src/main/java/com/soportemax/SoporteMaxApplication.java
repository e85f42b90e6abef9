package com.soportemax;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The SoporteMax platform: customer chat, knowledge base, embedded LLM, escalation to agents. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
@EnableScheduling
public class SoporteMaxApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SoporteMaxApplication.class);
        if (args.length > 0 && args[0].equals("export-dataset")) {
            // A command (dataset.internal.ExportDatasetCommand): no web server, exit when done.
            application.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
        }
        application.run(args);
    }
}

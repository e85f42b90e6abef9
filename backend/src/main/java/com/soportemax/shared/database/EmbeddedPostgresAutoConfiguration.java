package com.soportemax.shared.database;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import java.nio.file.Path;

/**
 * With no {@code spring.datasource.url} and no other connection details (a Testcontainers service connection,
 * say), the application runs its own PostgreSQL with data under {@code soportemax.database.data-directory}.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration",
        beforeName = {
                "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
                "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(JdbcConnectionDetails.class)
    EmbeddedPostgresConnectionDetails embeddedPostgresConnectionDetails(Environment environment) {
        Path dataDirectory = Path.of(environment.getProperty("soportemax.database.data-directory", "data/postgres"));
        return new EmbeddedPostgresConnectionDetails(EmbeddedPostgresServer.start(dataDirectory));
    }
}

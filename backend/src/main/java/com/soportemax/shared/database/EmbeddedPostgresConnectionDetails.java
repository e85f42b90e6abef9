package com.soportemax.shared.database;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Connection details of the embedded server, in the form Spring Boot's DataSource set-up takes. The server
 * outlives this bean: it stops at JVM exit, after every context that used it has closed its pool.
 */
public final class EmbeddedPostgresConnectionDetails implements JdbcConnectionDetails, DisposableBean {

    private final EmbeddedPostgresServer server;

    public EmbeddedPostgresConnectionDetails(EmbeddedPostgresServer server) {
        this.server = server;
        server.retain();
    }

    @Override
    public String getUsername() {
        return server.username();
    }

    @Override
    public String getPassword() {
        return server.password();
    }

    @Override
    public String getJdbcUrl() {
        return server.jdbcUrl();
    }

    @Override
    public void destroy() {
        server.release();
    }
}

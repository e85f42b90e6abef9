package com.soportemax.shared.database;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A request that finds every pooled connection in use keeps waiting for one while the database is reachable, up to
 * {@code soportemax.database.busy-pool-wait} (default 15 s) in all; only an unreachable database fails it at
 * Hikari's connection timeout (3 s), with 503 and {@code Retry-After} (ApiProblems).
 * <p>
 * Hikari raises the same timeout for both: "the pool is busy" and "no connection could be made". On a loaded
 * machine right after a start the first was common: the holders of the 20 connections were runnable but not
 * scheduled for a few seconds (JIT-cold code, start-up work on the virtual threads' carriers), and customers were
 * told the service was unavailable while the database was fine. The timeout's cause tells the two apart: it is the
 * pool's last failure to connect, none while the database answers.
 */
@Component
class BusyPoolWait implements BeanPostProcessor, EnvironmentAware {

    static final String SETTING = "soportemax.database.busy-pool-wait";
    private static final Duration DEFAULT = Duration.ofSeconds(15);

    private Duration patience = DEFAULT;

    @Override
    public void setEnvironment(Environment environment) {
        patience = Binder.get(environment).bind(SETTING, Duration.class).orElse(DEFAULT);
        if (patience.isNegative()) {
            throw new IllegalArgumentException(SETTING + " must not be negative, got " + patience);
        }
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof HikariDataSource pool ? new PatientDataSource(pool, patience) : bean;
    }

    /** The pool, waited on again while it is only busy. */
    static final class PatientDataSource extends DelegatingDataSource {

        private static final Logger log = LoggerFactory.getLogger(BusyPoolWait.class);
        private static final long WARN_EVERY = Duration.ofSeconds(30).toNanos();

        private final Duration patience;
        private final LongAdder busyTimeouts = new LongAdder();
        private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY);

        PatientDataSource(HikariDataSource pool, Duration patience) {
            super(pool);
            this.patience = patience;
        }

        @Override
        public Connection getConnection() throws SQLException {
            long until = System.nanoTime() + patience.toNanos();
            while (true) {
                try {
                    return super.getConnection();
                } catch (SQLTransientConnectionException timeout) {
                    if (timeout.getCause() != null || System.nanoTime() - until >= 0) throw timeout;
                    busyTimeouts.increment();
                    warn(timeout);
                }
            }
        }

        /** How often a request outlasted the pool's connection timeout and went on waiting (the pool was busy). */
        long busyTimeouts() {
            return busyTimeouts.sum();
        }

        private void warn(SQLTransientConnectionException timeout) {
            long now = System.nanoTime();
            long last = lastWarning.get();
            if (now - last >= WARN_EVERY && lastWarning.compareAndSet(last, now)) {
                log.warn("Every database connection was busy for longer than the pool's connection timeout ({});"
                        + " requests wait up to {} ({}) before answering 503. If this recurs outside start-up,"
                        + " raise spring.datasource.hikari.maximum-pool-size.", timeout.getMessage(), patience, SETTING);
            }
        }
    }
}

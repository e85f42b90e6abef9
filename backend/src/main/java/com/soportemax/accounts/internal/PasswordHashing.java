package com.soportemax.accounts.internal;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * bcrypt on a few platform threads of its own, never on the request's virtual thread. Virtual threads are not
 * time-sliced: twenty HTTP Basic sign-ins at once (about 0.1 s of bcrypt each) held both carrier threads of a
 * two-core machine for seconds, so requests that held a database connection could not run on to give it back, and
 * the next sign-ins timed out waiting for one (they failed as 401). Here the waiting request's virtual thread parks,
 * the carriers keep serving everything else, and the operating system shares the cores fairly.
 */
final class PasswordHashing implements PasswordEncoder, AutoCloseable {

    private final PasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private final ExecutorService threads = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("password-hashing-", 0).daemon().factory());

    @Override
    public String encode(CharSequence rawPassword) {
        return run(() -> bcrypt.encode(rawPassword));
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        return run(() -> bcrypt.matches(rawPassword, encodedPassword));
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return bcrypt.upgradeEncoding(encodedPassword);
    }

    private <T> T run(Callable<T> work) {
        try {
            return threads.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking a password", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}

package com.soportemax.shared.database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server left running on the data directory by an application that was killed ({@code kill -9}, a
 * power cut of the JVM only): the server outlives it, and a new start would fail on its lock file. The start-up
 * lock (zonky's, held by this JVM) proves no other application uses the directory, so the orphan is stopped
 * (fast shutdown: its clients are gone) before the new server starts; PostgreSQL's WAL keeps every commit.
 */
final class OrphanedServer {

    private static final Logger log = LoggerFactory.getLogger(OrphanedServer.class);

    private OrphanedServer() {
    }

    static void stopIfRunning(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2 || !lines.get(0).strip().matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).strip());
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(command -> command.endsWith("/postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        log.warn("A PostgreSQL server (pid {}) is still running on {} after the application stopped abruptly; "
                + "stopping it before starting again", pid, dataDirectory);
        try {
            // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            process.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // still alive: reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL " + pid, e);
        }
        if (process.get().isAlive()) {
            throw new IOException("the PostgreSQL server left running on " + dataDirectory + " (pid " + pid
                    + ") did not stop; stop it, then start again");
        }
    }
}

package com.soportemax.shared.models;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Fetches {@code hf:} models into the cache once, with progress in the log and a SHA-256 check. The expected
 * checksum is the configured one, else the one the hub publishes for LFS files ({@code X-Linked-Etag}); with
 * neither, the file's own checksum is recorded beside it so later starts detect a damaged copy.
 */
public final class ModelDownloader {

    private static final Logger log = LoggerFactory.getLogger(ModelDownloader.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final HttpClient http;
    private final URI hub;
    private final String setting;

    /** A downloader for {@code soportemax.model}. */
    public ModelDownloader(URI hub, Duration connectTimeout) {
        this(hub, connectTimeout, "soportemax.model");
    }

    /** @param setting the setting that names the model, quoted in error messages */
    public ModelDownloader(URI hub, Duration connectTimeout, String setting) {
        this.hub = hub;
        this.setting = setting;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * The model file in the cache, downloaded first when it is not there yet.
     *
     * @param expectedSha256 lower-case hex, or null to trust the hub's published checksum
     * @throws IOException when the hub cannot be reached, answers with an error, or the checksum does not match
     */
    public Path fetch(ModelReference.HuggingFace reference, Path cache, String expectedSha256) throws IOException {
        Path target = reference.cachePath(cache).toAbsolutePath();
        Path checksumFile = target.resolveSibling(target.getFileName() + ".sha256");
        if (Files.isRegularFile(target)) {
            String wanted = expectedSha256 != null ? expectedSha256 : readChecksum(checksumFile).orElse(null);
            if (wanted == null) {
                log.info("Using model {} from the cache ({}); no checksum recorded for it", reference, target);
                return target;
            }
            String actual = sha256(target);
            if (actual.equals(wanted)) {
                log.info("Using model {} from the cache ({}), SHA-256 verified", reference, target);
                return target;
            }
            log.warn("The cached model {} is damaged (SHA-256 {} instead of {}); downloading it again",
                    target, actual, wanted);
            Files.delete(target);
        }
        return download(reference, target, checksumFile, expectedSha256);
    }

    private Path download(ModelReference.HuggingFace reference, Path target, Path checksumFile, String expected)
            throws IOException {
        URI uri = reference.downloadUri(hub);
        log.info("Downloading model {} from {} into {}", reference, uri, target);
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of " + reference + " was interrupted", e);
        } catch (IOException e) {
            throw new IOException("cannot reach " + hub + " to download " + reference + " (" + describe(e)
                    + "); without network access, copy the file to " + target, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("the hub answered HTTP " + response.statusCode() + " for " + uri
                        + "; check that " + setting + " names an existing file");
            }
            String published = publishedChecksum(response).orElse(null);
            String wanted = expected != null ? expected : published;
            long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            String actual = copyWithProgress(body, partial, size, reference);
            if (wanted != null && !wanted.equals(actual)) {
                Files.deleteIfExists(partial);
                throw new IOException("the downloaded " + reference + " has SHA-256 " + actual + " but "
                        + (expected != null ? setting + "-sha256 says " : "the hub publishes ") + wanted
                        + "; the download was discarded");
            }
            if (wanted == null) {
                log.warn("The hub published no checksum for {}; recorded its SHA-256 {} to check later starts",
                        reference, actual);
            } else {
                log.info("Model {} downloaded, SHA-256 {} verified", reference, actual);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(checksumFile, actual + "\n", StandardCharsets.US_ASCII);
            return target;
        }
    }

    private String copyWithProgress(InputStream body, Path partial, long size, ModelReference reference)
            throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        long lastReport = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(partial)) {
            for (int n; (n = body.read(buffer)) >= 0; ) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IOException("download of " + reference + " was interrupted");
                }
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                copied += n;
                if (System.nanoTime() - lastReport >= PROGRESS_EVERY.toNanos()) {
                    lastReport = System.nanoTime();
                    log.info("Downloading model {}: {}", reference, progress(copied, size));
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        log.info("Downloading model {}: {}", reference, progress(copied, size));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String progress(long copied, long size) {
        long mib = copied >> 20;
        return size > 0 ? "%d of %d MiB (%d%%)".formatted(mib, size >> 20, copied * 100 / size) : mib + " MiB";
    }

    /** The hub sends the LFS object's SHA-256 as X-Linked-Etag on the redirect to its file storage. */
    private static Optional<String> publishedChecksum(HttpResponse<?> response) {
        for (HttpResponse<?> r = response; r != null; r = r.previousResponse().orElse(null)) {
            HttpHeaders headers = r.headers();
            Optional<String> found = headers.firstValue("X-Linked-Etag")
                    .map(ModelDownloader::unquote)
                    .filter(v -> v.matches("[0-9a-f]{64}"));
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    private static String unquote(String etag) {
        String v = etag.strip();
        if (v.startsWith("W/")) v = v.substring(2);
        return v.replace("\"", "").toLowerCase(Locale.ROOT);
    }

    private static Optional<String> readChecksum(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return Optional.empty();
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip().toLowerCase(Locale.ROOT);
        return value.matches("[0-9a-f]{64}") ? Optional.of(value) : Optional.empty();
    }

    /** The file's SHA-256, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}

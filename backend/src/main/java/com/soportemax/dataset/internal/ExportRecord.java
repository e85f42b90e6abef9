package com.soportemax.dataset.internal;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One export as recorded: who, when, what and the file's SHA-256. */
public record ExportRecord(UUID id, String format, Map<String, Object> filters, String exportedBy, Instant startedAt,
                           Instant finishedAt, Long lines, String sha256, String status) {
}

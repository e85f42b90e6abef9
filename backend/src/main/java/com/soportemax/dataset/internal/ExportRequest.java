package com.soportemax.dataset.internal;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to export.
 *
 * @param from            first day (UTC) of the conversations' start, null for no lower bound
 * @param to              last day (UTC, included), null for no upper bound
 * @param approvedOnly    only conversations an admin approved (the default); otherwise also unreviewed ones. Rejected
 *                        conversations are never exported.
 * @param part            ALL, TRAIN or VALIDATION: each conversation falls in one part, always the same
 * @param validationShare the share of conversations in the validation part, in [0, 0.5]
 * @param deduplicate     leave out a line whose prompt (and answer) is the same as an earlier line's
 */
public record ExportRequest(DatasetFormat format, LocalDate from, LocalDate to, boolean approvedOnly, Part part,
                            double validationShare, boolean deduplicate) {

    public enum Part { ALL, TRAIN, VALIDATION }

    public ExportRequest {
        Objects.requireNonNull(format, "format");
        part = part == null ? Part.ALL : part;
        if (validationShare < 0 || validationShare > 0.5) {
            throw new IllegalArgumentException("validationShare must be between 0 and 0.5");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
        }
    }

    /** The filters as recorded with the export. */
    public Map<String, Object> filters() {
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("from", from == null ? null : from.toString());
        filters.put("to", to == null ? null : to.toString());
        filters.put("approvedOnly", approvedOnly);
        filters.put("part", part.name().toLowerCase());
        filters.put("validationShare", validationShare);
        filters.put("deduplicate", deduplicate);
        return filters;
    }
}

package com.soportemax.dataset.web;

import com.soportemax.dataset.internal.DatasetFormat;
import com.soportemax.dataset.internal.ExportRequest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The export's query parameters, checked one by one so that an error names its parameter. */
record ExportParameters(String format, String from, String to, Boolean approvedOnly, String part,
                        Double validationShare, Boolean dedupe) {

    /** @throws InvalidExportParameter naming the parameter and what it accepts */
    ExportRequest request() {
        if (format == null || format.isBlank()) {
            throw new InvalidExportParameter("format", "is required: openai-sft, openai-dpo, trl-dpo or kto");
        }
        DatasetFormat parsedFormat;
        try {
            parsedFormat = DatasetFormat.of(format.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidExportParameter("format", "must be openai-sft, openai-dpo, trl-dpo or kto");
        }
        ExportRequest.Part parsedPart;
        try {
            parsedPart = part == null || part.isBlank() ? ExportRequest.Part.ALL
                    : ExportRequest.Part.valueOf(part.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidExportParameter("part", "must be all, train or validation");
        }
        double share = validationShare == null ? 0.1 : validationShare;
        if (share < 0 || share > 0.5) throw new InvalidExportParameter("validationShare", "must be between 0 and 0.5");
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (first != null && last != null && last.isBefore(first)) {
            throw new InvalidExportParameter("to", "must not be before from");
        }
        return new ExportRequest(parsedFormat, first, last, approvedOnly == null || approvedOnly, parsedPart, share,
                dedupe == null || dedupe);
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidExportParameter(name, "must be a date yyyy-mm-dd");
        }
    }

    static final class InvalidExportParameter extends RuntimeException {
        final String field;

        InvalidExportParameter(String field, String message) {
            super(field + " " + message);
            this.field = field;
        }
    }
}

package com.soportemax.dataset.web;

import com.soportemax.dataset.internal.DatasetExports;
import com.soportemax.dataset.internal.ExportRecord;
import com.soportemax.dataset.internal.ExportRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Training-data exports, streamed as NDJSON. The same download is at {@code /api/admin/datasets/export} (HTTP Basic,
 * for scripts) and {@code /admin/datasets/export} (the signed-in admin's download button).
 */
@RestController
@Tag(name = "Datasets", description = "Fine-tuning datasets from reviewed conversations, personal data removed")
class DatasetsApi {

    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    private final DatasetExports exports;

    DatasetsApi(DatasetExports exports) {
        this.exports = exports;
    }

    @GetMapping(path = {"/api/admin/datasets/export", "/admin/datasets/export"}, produces = "application/x-ndjson")
    @Operation(summary = "Export a dataset", description = "format: openai-sft, openai-dpo, trl-dpo or kto; from, to "
            + "(yyyy-mm-dd, UTC, inclusive); approvedOnly (default true); part: all, train or validation, with "
            + "validationShare (default 0.1); dedupe (default true). One JSON object per line.")
    ResponseEntity<StreamingResponseBody> export(@RequestParam(required = false) String format,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to,
                                                 @RequestParam(required = false) Boolean approvedOnly,
                                                 @RequestParam(required = false) String part,
                                                 @RequestParam(required = false) Double validationShare,
                                                 @RequestParam(required = false) Boolean dedupe,
                                                 Authentication who) {
        ExportRequest request = new ExportParameters(format, from, to, approvedOnly, part, validationShare, dedupe).request();
        String exportedBy = who.getName();
        String filename = "soportemax-" + request.format().id()
                + (request.part() == ExportRequest.Part.ALL ? "" : "-" + request.part().name().toLowerCase())
                + "-" + LocalDate.now() + ".jsonl";
        StreamingResponseBody body = out -> exports.export(request, out, exportedBy);
        return ResponseEntity.ok()
                .contentType(NDJSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                .body(body);
    }

    @GetMapping(path = "/api/admin/datasets/exports", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Recent exports", description = "Who exported what and when, with line count and SHA-256.")
    List<ExportRecord> recent() {
        return exports.recent(50);
    }

    @ExceptionHandler(ExportParameters.InvalidExportParameter.class)
    ResponseEntity<ProblemDetail> invalid(ExportParameters.InvalidExportParameter e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", e.field, "message", e.getMessage())));
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

package com.soportemax.analytics.web;

import com.soportemax.analytics.internal.SupportAnalytics;
import com.soportemax.analytics.internal.SupportStats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;

/** The dashboard's data; the page {@code /admin/stats} draws it. */
@RestController
@Tag(name = "Analytics", description = "Outcomes, escalations, response times, ratings and knowledge gaps")
class StatsApi {

    private final SupportAnalytics analytics;

    StatsApi(SupportAnalytics analytics) {
        this.analytics = analytics;
    }

    @GetMapping(path = {"/api/admin/stats", "/admin/stats/data"}, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Support statistics", description = "from, to: yyyy-mm-dd (UTC, inclusive); default the last 30 days.")
    SupportStats stats(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return analytics.stats(from, to);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalid(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}

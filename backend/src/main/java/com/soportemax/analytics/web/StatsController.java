package com.soportemax.analytics.web;

import com.soportemax.analytics.internal.SupportAnalytics;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.LocalDate;

/** The dashboard: the figures as tables (readable without hovering), drawn as charts by stats.js. */
@Controller
class StatsController {

    static final String PAGE = "analytics/dashboard";

    private final SupportAnalytics analytics;

    StatsController(SupportAnalytics analytics) {
        this.analytics = analytics;
    }

    @GetMapping("/admin/stats")
    String dashboard(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                     @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                     Model model) {
        model.addAttribute("stats", analytics.stats(from, to));
        return PAGE;
    }
}

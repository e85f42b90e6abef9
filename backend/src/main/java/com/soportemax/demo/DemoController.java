package com.soportemax.demo;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Serves the demo shop with the embedded widget; the site root leads there. */
@Controller
class DemoController {

    static final String DEMO_VIEW = "demo/shop";

    @GetMapping("/")
    String root() {
        return "redirect:/demo";
    }

    /**
     * @param lang the widget's language, "es" (default) or "en"; anything else falls back to Spanish so a
     *             mistyped link still shows the demo
     */
    @GetMapping("/demo")
    String demo(@RequestParam(name = "lang", defaultValue = "es") String lang, Model model) {
        model.addAttribute("widgetLocale", "en".equalsIgnoreCase(lang) ? "en" : "es");
        // The snippet shown to developers names this server, as they would copy it into their own site.
        model.addAttribute("snippetBase", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        return DEMO_VIEW;
    }
}

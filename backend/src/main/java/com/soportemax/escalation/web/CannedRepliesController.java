package com.soportemax.escalation.web;

import com.soportemax.escalation.internal.CannedReplies;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.UUID;

/** Admins manage the canned replies agents insert with "/" + shortcut. */
@Controller
@RequestMapping("/admin/canned-replies")
class CannedRepliesController {

    static final String VIEW = "escalation/canned-replies";

    private final CannedReplies cannedReplies;
    private final org.springframework.context.MessageSource messages;

    CannedRepliesController(CannedReplies cannedReplies, org.springframework.context.MessageSource messages) {
        this.cannedReplies = cannedReplies;
        this.messages = messages;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("replies", cannedReplies.all());
        return VIEW;
    }

    @PostMapping
    String create(@RequestParam(defaultValue = "") String title, @RequestParam(defaultValue = "") String text,
                  @RequestParam(defaultValue = "es") String language, @RequestParam(defaultValue = "") String shortcut,
                  Model model, RedirectAttributes redirect) {
        try {
            cannedReplies.create(title, text, language, shortcut.toLowerCase(java.util.Locale.ROOT));
            redirect.addFlashAttribute("notice", "/" + shortcut);
            return "redirect:/admin/canned-replies";
        } catch (IllegalArgumentException invalid) {
            model.addAttribute("problem", problem(invalid.getMessage(), shortcut));
            model.addAttribute("form", new Form(title, text, language, shortcut));
            model.addAttribute("replies", cannedReplies.all());
            return VIEW;
        }
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable UUID id) {
        cannedReplies.delete(id);
        return "redirect:/admin/canned-replies";
    }

    /** The model's problem ("field: what to do", in English) in the admin's words, naming the same field. */
    private String problem(String message, String shortcut) {
        String field = message.contains(":") ? message.substring(0, message.indexOf(':')) : "";
        String code = message.contains("already exists") ? "canned.problem.taken"
                : java.util.Set.of("title", "text", "language", "shortcut").contains(field) ? "canned.problem." + field
                : null;
        return code == null ? message : messages.getMessage(code, new Object[] {shortcut.toLowerCase(java.util.Locale.ROOT)},
                org.springframework.context.i18n.LocaleContextHolder.getLocale());
    }

    /** What the admin typed, shown again with the problem. */
    record Form(String title, String text, String language, String shortcut) {
    }
}

package com.soportemax.assistant.web;

import com.soportemax.assistant.internal.AssistantAdministration;
import com.soportemax.assistant.internal.AssistantOverview;
import com.soportemax.assistant.internal.InvalidSettingsException;
import com.soportemax.assistant.internal.SettingsForm;
import com.soportemax.assistant.internal.SettingsVersion;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;

/** {@code /admin/assistant}: the model in use (or the retrieval-only notice) and the editable settings. */
@Controller
@RequestMapping("/admin/assistant")
class AssistantAdminController {

    static final String VIEW = "assistant/settings";
    static final String SETTINGS_FRAGMENT = VIEW + " :: settings";

    private final AssistantAdministration administration;

    AssistantAdminController(AssistantAdministration administration) {
        this.administration = administration;
    }

    @GetMapping
    String page(Model model) {
        AssistantOverview overview = administration.overview();
        model.addAttribute("overview", overview);
        model.addAttribute("form", SettingsForm.of(overview.settings()));
        return VIEW;
    }

    /** htmx posts get the settings fragment back (saved or with the problems); plain posts get the whole page. */
    @PostMapping
    String change(@ModelAttribute("form") SettingsForm form, BindingResult binding, Principal principal, Model model,
                  @RequestHeader(value = "HX-Request", required = false) String htmx) {
        List<String> problems = new ArrayList<>();
        binding.getFieldErrors().forEach(e -> problems.add(e.getField() + ": '" + e.getRejectedValue()
                + "' is not a valid number"));
        if (problems.isEmpty()) {
            try {
                SettingsVersion saved = administration.change(form.toChange(),
                        principal == null ? null : principal.getName());
                model.addAttribute("savedVersion", saved.version());
                form = SettingsForm.of(saved);
            } catch (InvalidSettingsException e) {
                problems.addAll(e.problems());
            }
        }
        model.addAttribute("problems", problems);
        model.addAttribute("overview", administration.overview());
        model.addAttribute("form", form);
        return htmx != null ? SETTINGS_FRAGMENT : VIEW;
    }
}

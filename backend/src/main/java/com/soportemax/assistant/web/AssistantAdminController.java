package com.soportemax.assistant.web;

import com.soportemax.assistant.AssistantSettings;
import com.soportemax.assistant.internal.AnswerPreview;
import com.soportemax.assistant.internal.AssistantAdministration;
import com.soportemax.assistant.internal.Calibration;
import com.soportemax.assistant.internal.CuratedAnswers;
import com.soportemax.assistant.internal.AssistantOverview;
import com.soportemax.assistant.internal.InvalidSettingsException;
import com.soportemax.assistant.internal.SettingsForm;
import com.soportemax.assistant.internal.SettingsVersion;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * {@code /admin/assistant}: the model in use (or the retrieval-only notice), the editable settings and the what-if
 * table of the confidence threshold; {@code /admin/assistant/test}: what the assistant would do with a message;
 * {@code /admin/assistant/curated}: answers pinned to a family of questions.
 */
@Controller
@RequestMapping("/admin/assistant")
class AssistantAdminController {

    static final String VIEW = "assistant/settings";
    static final String SETTINGS_FRAGMENT = VIEW + " :: settings";
    static final String TEST_VIEW = "assistant/test";
    static final String TEST_FRAGMENT = TEST_VIEW + " :: preview";
    static final String CURATED_VIEW = "assistant/curated";

    private final AssistantAdministration administration;
    private final Calibration calibration;
    private final AnswerPreview preview;
    private final CuratedAnswers curated;
    private final AssistantSettings settings;

    AssistantAdminController(AssistantAdministration administration, Calibration calibration, AnswerPreview preview,
                             CuratedAnswers curated, AssistantSettings settings) {
        this.administration = administration;
        this.calibration = calibration;
        this.preview = preview;
        this.curated = curated;
        this.settings = settings;
    }

    @GetMapping
    String page(Model model) {
        AssistantOverview overview = administration.overview();
        model.addAttribute("overview", overview);
        model.addAttribute("form", SettingsForm.of(overview.settings()));
        addWhatIf(model);
        return VIEW;
    }

    @GetMapping("/test")
    String testPage() {
        return TEST_VIEW;
    }

    /** htmx posts get the result fragment; plain posts the whole page. */
    @PostMapping("/test")
    String test(@RequestParam(defaultValue = "") String text, @RequestParam(defaultValue = "es") String locale,
                Model model, @RequestHeader(value = "HX-Request", required = false) String htmx) {
        String language = "en".equals(locale) ? "en" : "es";
        model.addAttribute("text", text);
        model.addAttribute("locale", language);
        if (text.isBlank() || text.length() > 4000) {
            model.addAttribute("problem", "text: write a message of 1 to 4000 characters");
        } else {
            model.addAttribute("preview", preview.preview(text, language));
        }
        return htmx != null ? TEST_FRAGMENT : TEST_VIEW;
    }

    @GetMapping("/curated")
    String curatedPage(Model model) {
        model.addAttribute("answers", curated.all());
        model.addAttribute("threshold", settings.curatedMinSimilarity());
        return CURATED_VIEW;
    }

    @PostMapping("/curated")
    String pin(@RequestParam(defaultValue = "") String question, @RequestParam(defaultValue = "") String examples,
               @RequestParam(defaultValue = "") String answer, @RequestParam(required = false) String sourceId,
               @RequestParam(required = false) String sourceTitle, Principal principal, Model model) {
        List<String> exampleList = Arrays.stream(examples.split("\\R")).map(String::strip)
                .filter(e -> !e.isEmpty()).toList();
        var draft = new CuratedAnswers.Draft(question, exampleList, answer, sourceId, sourceTitle);
        List<String> problems = new ArrayList<>();
        if (question.isBlank() || question.length() > 500) problems.add("question: 1 to 500 characters");
        if (answer.isBlank() || answer.length() > 4000) problems.add("answer: 1 to 4000 characters");
        if (exampleList.stream().anyMatch(e -> e.length() > 500)) problems.add("examples: at most 500 characters each");
        if (!problems.isEmpty()) {
            model.addAttribute("problem", String.join("; ", problems));
            model.addAttribute("draft", draft);
            model.addAttribute("examplesText", examples);
            return curatedPage(model);
        }
        curated.create(draft, principal == null ? "unknown" : principal.getName());
        return "redirect:/admin/assistant/curated";
    }

    @PostMapping("/curated/{id}/delete")
    String unpin(@PathVariable UUID id) {
        curated.delete(id);
        return "redirect:/admin/assistant/curated";
    }

    private void addWhatIf(Model model) {
        model.addAttribute("whatIf", calibration.whatIf());
        model.addAttribute("calibrationSets", calibration.fittedOn());
        model.addAttribute("calibrationVersion", calibration.version());
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
        addWhatIf(model);
        model.addAttribute("form", form);
        return htmx != null ? SETTINGS_FRAGMENT : VIEW;
    }
}

package com.soportemax.assistant.web;

import com.soportemax.assistant.internal.AssistantAdministration;
import com.soportemax.assistant.internal.AssistantOverview;
import com.soportemax.assistant.internal.InvalidSettingsException;
import com.soportemax.assistant.internal.SettingsForm;
import com.soportemax.assistant.internal.SettingsVersion;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

/** The assistant's settings as JSON, for admins and their scripts (HTTP Basic, role ADMIN). */
@RestController
@RequestMapping("/api/admin/assistant")
class AssistantSettingsApi {

    private final AssistantAdministration administration;

    AssistantSettingsApi(AssistantAdministration administration) {
        this.administration = administration;
    }

    /** The settings in force, with their version, author and time. */
    @GetMapping("/settings")
    SettingsVersion settings() {
        return administration.currentSettings();
    }

    /** Replaces all editable settings at once, as a new version; answers from now on use it. */
    @PutMapping("/settings")
    SettingsVersion change(@RequestBody SettingsForm form, Principal principal) {
        return administration.change(form.toChange(), principal == null ? null : principal.getName());
    }

    /** Which model runs (or why none does), its measured speed, and the settings. */
    @GetMapping("/status")
    AssistantOverview status() {
        return administration.overview();
    }

    @ExceptionHandler(InvalidSettingsException.class)
    ProblemDetail invalid(InvalidSettingsException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid assistant settings");
        problem.setProperty("problems", e.problems());
        return problem;
    }
}

package com.soportemax.escalation.web;

import com.soportemax.escalation.internal.AgentPresence;
import com.soportemax.escalation.internal.EmailAnswers;
import com.soportemax.escalation.internal.EscalationQueue;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /admin}: the administrators' start page, with the desk's state at a glance. */
@Controller
class AdminHomeController {

    static final String VIEW = "escalation/admin-home";

    private final EscalationQueue queue;
    private final AgentPresence presence;
    private final EmailAnswers emails;

    AdminHomeController(EscalationQueue queue, AgentPresence presence, EmailAnswers emails) {
        this.queue = queue;
        this.presence = presence;
        this.emails = emails;
    }

    @GetMapping({"/admin", "/admin/"})
    String home(Model model) {
        model.addAttribute("waiting", queue.unclaimed());
        model.addAttribute("online", presence.online());
        model.addAttribute("emailHowTo", emails.howToEnable().orElse(null));
        return VIEW;
    }
}

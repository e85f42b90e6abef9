package com.soportemax.accounts.web;

import com.soportemax.accounts.StaffRole;
import com.soportemax.accounts.internal.Accounts;
import com.soportemax.accounts.internal.PasswordPolicy;
import com.soportemax.accounts.internal.StaffChangeRefused;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Admins manage staff in the browser: create, disable or enable, reset a password, change the role, delete. What
 * the page says (done or refused, and why) is in the admin's language.
 */
@Controller
@RequestMapping("/admin/staff")
class StaffPagesController {

    static final String VIEW = "accounts/staff";

    private final Accounts accounts;
    private final MessageSource messages;

    StaffPagesController(Accounts accounts, MessageSource messages) {
        this.accounts = accounts;
        this.messages = messages;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("accounts", accounts.all());
        return VIEW;
    }

    @PostMapping
    String create(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String displayName,
                  @RequestParam(defaultValue = "AGENT") StaffRole role, @RequestParam(defaultValue = "") String password,
                  RedirectAttributes redirect) {
        if (email.isBlank() || !email.contains("@") || displayName.isBlank()) {
            redirect.addFlashAttribute("problem", text("staff.problem.emailAndName"));
            return "redirect:/admin/staff";
        }
        return act(redirect, password, () -> accounts.create(email.strip(), displayName.strip(), role, password),
                text("staff.done.created", email.strip()));
    }

    @PostMapping("/{id}/enabled")
    String setEnabled(@PathVariable UUID id, @RequestParam boolean enabled, Authentication admin,
                      RedirectAttributes redirect) {
        return act(redirect, null, () -> accounts.setEnabled(id, enabled, admin.getName()),
                text(enabled ? "staff.done.enabled" : "staff.done.disabled"));
    }

    @PostMapping("/{id}/password")
    String resetPassword(@PathVariable UUID id, @RequestParam(defaultValue = "") String password,
                         RedirectAttributes redirect) {
        return act(redirect, password, () -> accounts.resetPassword(id, password), text("staff.done.password"));
    }

    @PostMapping("/{id}/role")
    String changeRole(@PathVariable UUID id, @RequestParam StaffRole role, RedirectAttributes redirect) {
        return act(redirect, null, () -> accounts.changeRole(id, role), text("staff.done.role"));
    }

    @PostMapping("/{id}/delete")
    String delete(@PathVariable UUID id, Authentication admin, RedirectAttributes redirect) {
        return act(redirect, null, () -> accounts.delete(id, admin.getName()), text("staff.done.deleted"));
    }

    private String act(RedirectAttributes redirect, String password, Runnable action, String done) {
        try {
            action.run();
            redirect.addFlashAttribute("notice", done);
        } catch (StaffChangeRefused refused) {
            redirect.addFlashAttribute("problem", text(switch (refused.reason()) {
                case EMAIL_TAKEN -> "staff.problem.taken";
                case YOURSELF -> "staff.problem.yourself";
                case LAST_ADMIN -> "staff.problem.lastAdmin";
            }));
        } catch (IllegalArgumentException badPassword) {
            redirect.addFlashAttribute("problem", PasswordPolicy.problem(password) != null
                    ? text("staff.problem.password", PasswordPolicy.MIN_CHARACTERS, PasswordPolicy.MAX_BYTES)
                    : text("staff.problem.invalid"));
        } catch (NoSuchElementException gone) {
            redirect.addFlashAttribute("problem", text("staff.problem.gone"));
        }
        return "redirect:/admin/staff";
    }

    private String text(String code, Object... arguments) {
        return messages.getMessage(code, arguments, LocaleContextHolder.getLocale());
    }
}

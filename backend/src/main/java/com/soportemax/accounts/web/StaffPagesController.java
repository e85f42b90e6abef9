package com.soportemax.accounts.web;

import com.soportemax.accounts.StaffRole;
import com.soportemax.accounts.internal.Accounts;
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

/** Admins manage staff in the browser: create, disable or enable, reset a password, change the role. */
@Controller
@RequestMapping("/admin/staff")
class StaffPagesController {

    static final String VIEW = "accounts/staff";

    private final Accounts accounts;

    StaffPagesController(Accounts accounts) {
        this.accounts = accounts;
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
        return act(redirect, () -> {
            if (email.isBlank() || !email.contains("@") || displayName.isBlank()) {
                throw new IllegalArgumentException("Escribe el correo y el nombre de la persona.");
            }
            accounts.create(email.strip(), displayName.strip(), role, password);
        }, "Cuenta creada: " + email.strip());
    }

    @PostMapping("/{id}/enabled")
    String setEnabled(@PathVariable UUID id, @RequestParam boolean enabled, Authentication admin,
                      RedirectAttributes redirect) {
        return act(redirect, () -> accounts.setEnabled(id, enabled, admin.getName()),
                enabled ? "Cuenta activada." : "Cuenta desactivada: ya no puede iniciar sesión.");
    }

    @PostMapping("/{id}/password")
    String resetPassword(@PathVariable UUID id, @RequestParam(defaultValue = "") String password,
                         RedirectAttributes redirect) {
        return act(redirect, () -> accounts.resetPassword(id, password), "Contraseña cambiada.");
    }

    @PostMapping("/{id}/role")
    String changeRole(@PathVariable UUID id, @RequestParam StaffRole role, RedirectAttributes redirect) {
        return act(redirect, () -> accounts.changeRole(id, role), "Rol cambiado.");
    }

    private static String act(RedirectAttributes redirect, Runnable action, String done) {
        try {
            action.run();
            redirect.addFlashAttribute("notice", done);
        } catch (IllegalArgumentException | IllegalStateException | NoSuchElementException refused) {
            redirect.addFlashAttribute("problem", refused.getMessage());
        }
        return "redirect:/admin/staff";
    }
}

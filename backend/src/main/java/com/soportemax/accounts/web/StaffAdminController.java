package com.soportemax.accounts.web;

import com.soportemax.accounts.StaffRole;
import com.soportemax.accounts.internal.Accounts;
import com.soportemax.accounts.internal.UserAccount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Admins manage staff accounts (HTTP Basic, role ADMIN). */
@RestController
@RequestMapping("/api/admin/users")
@Tag(name = "Staff accounts", description = "Administrators and support agents (HTTP Basic, role ADMIN)")
class StaffAdminController {

    private final Accounts accounts;

    StaffAdminController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping
    @Operation(summary = "List staff accounts")
    List<StaffView> list() {
        return accounts.all().stream().map(StaffView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an agent or admin account")
    StaffView create(@RequestBody @Valid NewStaffRequest body) {
        return StaffView.of(accounts.create(body.email(), body.displayName(), body.role(), body.password()));
    }

    @PutMapping("/{id}/enabled")
    @Operation(summary = "Enable or disable an account; a disabled account's open sessions and streams end at once")
    StaffView setEnabled(@PathVariable UUID id, @RequestBody @Valid EnabledRequest body, Authentication admin) {
        return StaffView.of(accounts.setEnabled(id, body.enabled(), admin.getName()));
    }

    @PutMapping("/{id}/role")
    @Operation(summary = "Change an account's role; it applies from the person's next request")
    StaffView changeRole(@PathVariable UUID id, @RequestBody @Valid RoleRequest body) {
        return StaffView.of(accounts.changeRole(id, body.role()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an account; its open sessions and live streams end at once, on every node")
    void delete(@PathVariable UUID id, Authentication admin) {
        accounts.delete(id, admin.getName());
    }

    @ExceptionHandler(java.util.NoSuchElementException.class)
    ProblemDetail notFound(java.util.NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail taken(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    record NewStaffRequest(@NotBlank @Email @Size(max = 320) String email,
                           @NotBlank @Size(max = 200) String displayName,
                           @NotNull StaffRole role,
                           @StaffPassword String password) {
    }

    record EnabledRequest(@NotNull Boolean enabled) {
    }

    record RoleRequest(@NotNull StaffRole role) {
    }

    record StaffView(String id, String email, String displayName, StaffRole role, boolean enabled, Instant createdAt) {
        static StaffView of(UserAccount account) {
            return new StaffView(account.id().toString(), account.email(), account.displayName(), account.role(),
                    account.isEnabled(), account.createdAt());
        }
    }
}

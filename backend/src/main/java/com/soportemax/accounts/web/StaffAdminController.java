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
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

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

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail taken(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    record NewStaffRequest(@NotBlank @Email @Size(max = 320) String email,
                           @NotBlank @Size(max = 200) String displayName,
                           @NotNull StaffRole role,
                           @StaffPassword String password) {
    }

    record StaffView(String id, String email, String displayName, StaffRole role, Instant createdAt) {
        static StaffView of(UserAccount account) {
            return new StaffView(account.id().toString(), account.email(), account.displayName(), account.role(),
                    account.createdAt());
        }
    }
}

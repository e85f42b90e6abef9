package com.soportemax.accounts.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page of staff, in the product's style (Spanish or English). */
@Controller
class SignInController {

    static final String VIEW = "accounts/sign-in";

    @GetMapping("/login")
    String signIn() {
        return VIEW;
    }
}

package com.soportemax.shared.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.List;

/**
 * An unknown address, or an id of nothing, is a page for a browser (templates/error/404.html), a problem detail for
 * the APIs and scripts; so is a malformed id or a missing parameter (400, templates/error.html).
 * Other errors reach Spring Boot's error controller, which renders {@code error/403.html}, {@code error/500.html}...
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class BrowserErrorPages {

    @ExceptionHandler(NoResourceFoundException.class)
    Object notFound(NoResourceFoundException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, "error/404", "Nothing at " + request.getRequestURI() + ".");
    }

    /** Whatever names something that is not there (an id of no conversation, article...) is a 404, not a failure. */
    @ExceptionHandler(java.util.NoSuchElementException.class)
    Object missing(java.util.NoSuchElementException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, "error/404", e.getMessage());
    }

    /** A form that should have carried a file but was not sent as one: the sender's mistake, not the server's. */
    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    Object notAFileUpload(org.springframework.web.multipart.MultipartException e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, "error",
                "Send the file as multipart/form-data (" + e.getMessage() + ").");
    }

    /** An address whose id or number is malformed ("/agent/conversations/abc"): the sender's mistake, named. */
    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    Object malformed(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e,
                     HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "a valid value" : switch (e.getRequiredType().getSimpleName()) {
            case "UUID" -> "an id (a UUID)";
            case "int", "Integer", "long", "Long" -> "a whole number";
            default -> "a valid " + e.getRequiredType().getSimpleName();
        };
        return answer(request, HttpStatus.BAD_REQUEST, "error",
                "'" + e.getName() + "' must be " + expected + ", not '" + e.getValue() + "'.");
    }

    /** A form or link without a value the page needs. */
    @ExceptionHandler(org.springframework.web.bind.MissingServletRequestParameterException.class)
    Object missingParameter(org.springframework.web.bind.MissingServletRequestParameterException e,
                            HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, "error", "The parameter '" + e.getParameterName()
                + "' is required.");
    }

    /** The error page for a browser, problem details for everyone else. */
    private static Object answer(HttpServletRequest request, HttpStatus status, String view, String detail) {
        if (wantsPage(request)) {
            ModelAndView page = new ModelAndView(view);
            page.setStatus(status);
            page.addObject("status", status.value());
            return page;
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    private static boolean wantsPage(HttpServletRequest request) {
        if (request.getRequestURI().startsWith("/api/")) {
            return false;
        }
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        List<MediaType> types = MediaType.parseMediaTypes(accept);
        return types.stream().anyMatch(type -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
    }
}

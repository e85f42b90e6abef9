package com.soportemax.shared.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What reaches Spring Boot's error path (an unexpected exception, a status sent by a filter): for a browser the
 * product's page ({@code templates/error/<status>.html}, in the staff's language; never a stack trace), for the
 * APIs and scripts an RFC 9457 problem detail ({@code application/problem+json}) instead of Boot's own JSON, and
 * under {@code /api/} a problem detail even when a browser asks for HTML. No exception message or trace is shown
 * (Boot's defaults); the exception itself is logged by the container.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
class ErrorResponses extends BasicErrorController {

    private final JsonMapper json;

    ErrorResponses(ErrorAttributes errorAttributes, ObjectProvider<ErrorViewResolver> errorViewResolvers,
                   JsonMapper json) {
        super(errorAttributes, new ErrorProperties(), errorViewResolvers.orderedStream().toList());
        this.json = json;
    }

    @Override
    public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
        if (!isApi(request)) {
            return super.errorHtml(request, response);
        }
        HttpStatus status = getStatus(request);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        try {
            json.writeValue(response.getOutputStream(), problem(request, status));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return null;
    }

    @Override
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        HttpStatus status = getStatus(request);
        if (status == HttpStatus.NO_CONTENT) {
            return new ResponseEntity<>(status);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(request, status));
    }

    private static Map<String, Object> problem(HttpServletRequest request, HttpStatus status) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        if (status.is5xxServerError()) {
            problem.put("detail", "The server failed to handle this request; nothing saved before was lost. Try"
                    + " again in a moment, and tell support if it keeps happening.");
        }
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path != null) {
            problem.put("instance", path.toString());
        }
        return problem;
    }

    private static boolean isApi(HttpServletRequest request) {
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return path != null && path.toString().startsWith("/api/");
    }
}

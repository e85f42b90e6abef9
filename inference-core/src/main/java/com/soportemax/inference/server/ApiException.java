package com.soportemax.inference.server;

/**
 * A request the API refuses, answered in OpenAI's error shape:
 * {@code {"error": {"message", "type", "param", "code"}}}.
 *
 * @param param the request field at fault, or null
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    ApiException(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** A field with a value out of range or not allowed. */
    static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, "invalid_value", message);
    }

    /** A field of the wrong JSON type. */
    static ApiException invalidType(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, "invalid_type", message);
    }

    static ApiException missing(String param) {
        return new ApiException(400, "invalid_request_error", param, "missing_required_parameter",
                "Missing required parameter: '" + param + "'.");
    }

    int status() { return status; }

    String type() { return type; }

    String param() { return param; }

    String code() { return code; }
}

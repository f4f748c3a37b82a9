package de.tim.routes.error;

import org.springframework.http.HttpStatus;

/** A client-visible failure with its status and error object; messages carry no tokens or personal data. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String errorCode;

    public ApiException(HttpStatus status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "BAD_REQUEST", message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "UPSTREAM_UNAVAILABLE", message);
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError error() {
        return new ApiError(errorCode, getMessage());
    }
}

package de.tim.simulators.vzd;

import java.util.List;

import org.springframework.http.HttpStatus;

/** An error of a VZD-FHIR-Directory interface, answered with the OpenAPI {@code Error} object. */
public class VzdException extends RuntimeException {

    private final HttpStatus status;
    private final List<VzdError.InnerError> errors;

    public VzdException(HttpStatus status, String message) {
        this(status, message, List.of());
    }

    public VzdException(HttpStatus status, String message, List<VzdError.InnerError> errors) {
        super(message, null, false, false);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public HttpStatus status() {
        return status;
    }

    public List<VzdError.InnerError> errors() {
        return errors;
    }

    public static VzdException badRequest(String message) {
        return new VzdException(HttpStatus.BAD_REQUEST, message);
    }

    public static VzdException unauthorized(String message) {
        return new VzdException(HttpStatus.UNAUTHORIZED, message);
    }

    public static VzdException forbidden(String message) {
        return new VzdException(HttpStatus.FORBIDDEN, message);
    }

    public static VzdException notFound(String message) {
        return new VzdException(HttpStatus.NOT_FOUND, message);
    }

    public static VzdException conflict(String message) {
        return new VzdException(HttpStatus.CONFLICT, message);
    }
}

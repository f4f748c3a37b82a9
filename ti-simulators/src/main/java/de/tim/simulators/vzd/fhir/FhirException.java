package de.tim.simulators.vzd.fhir;

import org.springframework.http.HttpStatus;

/** An error of the FHIR interfaces, answered with an OperationOutcome. */
public class FhirException extends RuntimeException {

    private final HttpStatus status;
    private final String issueCode;

    public FhirException(HttpStatus status, String issueCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.issueCode = issueCode;
    }

    public HttpStatus status() {
        return status;
    }

    /** The OperationOutcome issue code (FHIR IssueType), e.g. {@code invalid}, {@code forbidden}. */
    public String issueCode() {
        return issueCode;
    }

    public static FhirException invalid(String message) {
        return new FhirException(HttpStatus.BAD_REQUEST, "invalid", message);
    }

    public static FhirException forbidden(String message) {
        return new FhirException(HttpStatus.FORBIDDEN, "forbidden", message);
    }

    public static FhirException notFound(String message) {
        return new FhirException(HttpStatus.NOT_FOUND, "not-found", message);
    }

    public static FhirException unauthorized(String message) {
        return new FhirException(HttpStatus.UNAUTHORIZED, "login", message);
    }
}

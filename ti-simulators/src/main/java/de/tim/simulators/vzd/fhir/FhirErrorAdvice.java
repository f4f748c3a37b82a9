package de.tim.simulators.vzd.fhir;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import de.tim.simulators.vzd.VzdException;

/** Errors of the FHIR-Proxy (/search, /owner) as OperationOutcome. */
@RestControllerAdvice(assignableTypes = {FhirSearchController.class, FhirOwnerController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
public class FhirErrorAdvice {

    private final FhirJson json;

    public FhirErrorAdvice(FhirJson json) {
        this.json = json;
    }

    @ExceptionHandler(FhirException.class)
    ResponseEntity<String> fhir(FhirException e) {
        return json.outcome(e);
    }

    /** Token failures from the shared token checks. */
    @ExceptionHandler(VzdException.class)
    ResponseEntity<String> token(VzdException e) {
        return json.outcome(new FhirException(e.status(), e.status() == HttpStatus.UNAUTHORIZED ? "login" : "forbidden", e.getMessage()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<String> method(HttpRequestMethodNotSupportedException e) {
        return json.outcome(new FhirException(HttpStatus.METHOD_NOT_ALLOWED, "not-supported", e.getMessage()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e) {
        return json.outcome(new FhirException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not-supported", e.getMessage()));
    }
}

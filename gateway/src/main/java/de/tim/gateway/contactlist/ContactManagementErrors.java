package de.tim.gateway.contactlist;

import de.tim.matrix.error.GematikError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of the contact management API use its OpenAPI {@code Error} object, not Matrix errors. */
@RestControllerAdvice(assignableTypes = ContactManagementController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ContactManagementErrors {

    @ExceptionHandler(ContactManagementException.class)
    ResponseEntity<GematikError> refused(ContactManagementException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<GematikError> unreadable() {
        return refused(ContactManagementException.badRequest("The request body must be a JSON object"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<GematikError> wrongMethod() {
        return refused(new ContactManagementException(405, "METHOD_NOT_ALLOWED", "Method not allowed"));
    }
}

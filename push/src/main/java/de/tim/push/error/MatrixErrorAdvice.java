package de.tim.push.error;

import de.tim.matrix.error.MatrixException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error of this application's HTTP APIs is answered as Matrix error JSON, never with a stack trace. */
@RestControllerAdvice
class MatrixErrorAdvice {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MatrixErrorAdvice.class);

    static ResponseEntity<Object> of(MatrixException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<Object> unknownPath() {
        return of(MatrixException.unrecognized(404, "Unrecognized request"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> wrongMethod() {
        return of(MatrixException.unrecognized(405, "Method not allowed"));
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<Object> unreadable() {
        return of(MatrixException.notJson("Request body is not JSON"));
    }

    @ExceptionHandler(MatrixException.class)
    ResponseEntity<Object> matrix(MatrixException e) {
        return of(e);
    }

    /** Storage or other infrastructure failures: the caller should retry; logged without request data. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<Object> unexpected(RuntimeException e) {
        log.error("Request failed: {}", e.getClass().getName());
        return of(MatrixException.unknown(503, "Temporarily unavailable, retry later"));
    }
}

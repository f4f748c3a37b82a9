package de.tim.gateway.error;

import de.tim.matrix.error.MatrixException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Paths the gateway does not offer and refusals of its checks are answered as Matrix errors. */
@RestControllerAdvice
class MatrixErrorAdvice {

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<Object> unknownPath() {
        return MatrixErrorResponses.unrecognized();
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> wrongMethod() {
        return MatrixErrorResponses.methodNotAllowed();
    }

    @ExceptionHandler(MatrixException.class)
    ResponseEntity<Object> matrix(MatrixException e) {
        return MatrixErrorResponses.of(e);
    }
}

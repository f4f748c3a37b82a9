package de.tim.homeserver.http;

import java.util.Map;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place that turns exceptions into Matrix error responses. An error after the response was committed
 * (headers and part of a streamed body sent) gets no body: one log line without content, and the
 * {@link CommittedResponseFilter} closes the connection so the client sees the answer cut off.
 */
@RestControllerAdvice
public class MatrixExceptionAdvice {

    private static final Logger log = LoggerFactory.getLogger(MatrixExceptionAdvice.class);

    @ExceptionHandler(MatrixException.class)
    ResponseEntity<Map<String, Object>> matrix(MatrixException e, HttpServletRequest request,
            HttpServletResponse response) {
        if (response.isCommitted()) {
            log.warn("Response already committed, closing the connection instead of answering {} {}", e.status(),
                    e.errcode());
            CommittedResponseFilter.abort(request);
            return null;
        }
        return matrix(e);
    }

    private static ResponseEntity<Map<String, Object>> matrix(MatrixException e) {
        return ResponseEntity.status(e.status()).body(e.body());
    }

    @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
    ResponseEntity<Map<String, Object>> noHandler(Exception e) {
        return matrix(MatrixException.unrecognized(404, "Unrecognized request"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return matrix(MatrixException.unrecognized(405, "Method not allowed for this endpoint"));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonParseException || cause == null) {
            return matrix(MatrixException.notJson("Content not JSON"));
        }
        if (cause instanceof MismatchedInputException mismatch && mismatch.getMessage() != null
                && mismatch.getMessage().startsWith("No content to map")) {
            return matrix(MatrixException.notJson("Content not JSON"));
        }
        if (cause instanceof JsonMappingException mapping) {
            return matrix(MatrixException.badJson("Invalid JSON: " + path(mapping)));
        }
        return matrix(MatrixException.notJson("Content not JSON"));
    }

    @ExceptionHandler(HttpMediaTypeException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeException e) {
        return matrix(MatrixException.notJson("Content not JSON"));
    }

    @ExceptionHandler({MethodArgumentNotValidException.class, HandlerMethodValidationException.class,
            ConstraintViolationException.class})
    ResponseEntity<Map<String, Object>> invalid(Exception e) {
        return matrix(MatrixException.badJson("Invalid request body"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, Object>> missingParam(MissingServletRequestParameterException e) {
        return matrix(MatrixException.missingParam("Missing parameter: " + e.getParameterName()));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Map<String, Object>> missingHeader(MissingRequestHeaderException e) {
        return matrix(MatrixException.missingParam("Missing header: " + e.getHeaderName()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> typeMismatch(MethodArgumentTypeMismatchException e) {
        return matrix(MatrixException.invalidParam("Invalid parameter: " + e.getName()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request,
            HttpServletResponse response) {
        if (response.isCommitted()) {
            if (e instanceof ClientAbortException) {
                // the client went away while the body was sent: routine
                log.debug("Client closed the connection during the response");
            } else {
                log.warn("Response already committed, closing the connection after {}", e.getClass().getName());
            }
            CommittedResponseFilter.abort(request);
            return null;
        }
        log.error("Unexpected error handling request", e);
        return ResponseEntity.status(500).body(Map.of("errcode", MatrixErrorCodes.M_UNKNOWN, "error", "Internal server error"));
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "wrong type" : "wrong type at " + path;
    }
}

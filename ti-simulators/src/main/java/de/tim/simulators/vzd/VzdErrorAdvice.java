package de.tim.simulators.vzd;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Writes every error of the VZD REST interfaces (not the FHIR ones) as the OpenAPI {@code Error} object. */
@RestControllerAdvice(annotations = VzdRestApi.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class VzdErrorAdvice {

    @ExceptionHandler(VzdException.class)
    ResponseEntity<VzdError> vzd(VzdException e) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"VZD-FHIR-Directory\", error=\"invalid_token\"");
        }
        return builder.body(new VzdError(e.getMessage(), e.errors()));
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MissingRequestHeaderException.class,
            MethodArgumentTypeMismatchException.class})
    ResponseEntity<VzdError> badParameter(Exception e) {
        return vzd(VzdException.badRequest(e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<VzdError> unreadable(HttpMessageNotReadableException e) {
        return vzd(VzdException.badRequest("request body is not valid JSON for this operation"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<VzdError> mediaType(HttpMediaTypeNotSupportedException e) {
        return vzd(new VzdException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, e.getMessage()));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<VzdError> method(HttpRequestMethodNotSupportedException e) {
        return vzd(new VzdException(HttpStatus.METHOD_NOT_ALLOWED, e.getMessage()));
    }
}

package de.tim.gateway.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import de.tim.matrix.error.MatrixException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside of handlers (container level, failed upstream connections) still answer as
 * Matrix JSON and never with a stack trace.
 */
@RestController
class MatrixErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        return switch (status) {
            case 404 -> MatrixErrorResponses.unrecognized();
            case 405 -> MatrixErrorResponses.methodNotAllowed();
            case 413 -> MatrixErrorResponses.of(MatrixException.tooLarge("Request too large"));
            default -> MatrixErrorResponses.of(status >= 500
                    ? MatrixException.unknown(502, "The homeserver is not reachable")
                    : MatrixException.unknown(status, "Bad request"));
        };
    }
}

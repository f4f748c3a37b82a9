package de.tim.push.error;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import de.tim.matrix.error.MatrixException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised outside of handlers (container level) still answer as Matrix JSON without a stack trace. */
@RestController
class MatrixErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        return MatrixErrorAdvice.of(switch (status) {
            case 404 -> MatrixException.unrecognized(404, "Unrecognized request");
            case 405 -> MatrixException.unrecognized(405, "Method not allowed");
            case 413 -> MatrixException.tooLarge("Request too large");
            default -> status >= 500
                    ? MatrixException.unknown(503, "Service temporarily unavailable")
                    : MatrixException.notJson("Bad request");
        });
    }
}

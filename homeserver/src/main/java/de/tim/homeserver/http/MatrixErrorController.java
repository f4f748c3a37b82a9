package de.tim.homeserver.http;

import java.util.Map;

import de.tim.matrix.error.MatrixErrorCodes;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Replaces Spring's whitelabel/JSON error page: whatever fails outside a handler still answers Matrix JSON. */
@RestController
public class MatrixErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        String errcode = switch (status) {
            case 404, 405 -> MatrixErrorCodes.M_UNRECOGNIZED;
            case 413 -> MatrixErrorCodes.M_TOO_LARGE;
            case 400 -> MatrixErrorCodes.M_BAD_JSON;
            case 401 -> MatrixErrorCodes.M_MISSING_TOKEN;
            case 403 -> MatrixErrorCodes.M_FORBIDDEN;
            default -> MatrixErrorCodes.M_UNKNOWN;
        };
        String message = status >= 500 ? "Internal server error" : "Request failed";
        return ResponseEntity.status(status).body(Map.of("errcode", errcode, "error", message));
    }
}

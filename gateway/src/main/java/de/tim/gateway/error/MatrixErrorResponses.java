package de.tim.gateway.error;

import de.tim.matrix.error.MatrixException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The one way the gateway answers with a Matrix error: {@code {"errcode","error"}} with the spec's status. */
public final class MatrixErrorResponses {

    private MatrixErrorResponses() {
    }

    public static ResponseEntity<Object> of(MatrixException e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    /** The same error for functional (gateway route) handlers. */
    public static org.springframework.web.servlet.function.ServerResponse response(MatrixException e) {
        return org.springframework.web.servlet.function.ServerResponse.status(e.status())
                .contentType(MediaType.APPLICATION_JSON).body(e.body());
    }

    public static ResponseEntity<Object> unrecognized() {
        return of(MatrixException.unrecognized(404, "Unrecognized request"));
    }

    public static ResponseEntity<Object> methodNotAllowed() {
        return of(MatrixException.unrecognized(405, "Method not allowed"));
    }
}

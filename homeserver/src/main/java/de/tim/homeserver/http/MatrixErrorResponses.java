package de.tim.homeserver.http;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletResponse;

/** Writes Matrix error bodies from servlet filters, where the controller advice does not reach. */
public final class MatrixErrorResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MatrixErrorResponses() {
    }

    public static void write(HttpServletResponse response, MatrixException error) throws IOException {
        response.setStatus(error.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(JSON.writeValueAsBytes(error.body()));
    }
}

package de.tim.gateway.route;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import de.tim.matrix.error.MatrixException;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * Reading the body of a request a check must inspect, bounded in size, and forwarding exactly those
 * bytes afterwards.
 */
public final class InspectedBody {

    private InspectedBody() {
    }

    /** Reads at most {@code max} bytes; larger bodies are refused with {@code M_TOO_LARGE}. */
    public static byte[] read(ServerRequest request, int max) throws IOException {
        if (request.servletRequest().getContentLengthLong() > max) {
            throw MatrixException.tooLarge("The request body is too large");
        }
        try (InputStream in = request.servletRequest().getInputStream()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw MatrixException.tooLarge("The request body is too large");
            }
            return bytes;
        }
    }

    /** The request to forward: its body replays the bytes that were inspected. */
    public static ServerRequest replay(ServerRequest request, byte[] body) {
        request.attributes().put(MvcUtils.CACHED_REQUEST_BODY_ATTR, new ByteArrayInputStream(body));
        return BeforeFilterFunctions.adaptCachedBody().apply(request);
    }
}

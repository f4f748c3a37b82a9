package de.tim.homeserver.api.federation.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The federation media answer (server-server API "Content Repository"): {@code multipart/mixed} with exactly two
 * parts, the JSON metadata (always {@code {}}) and the media bytes with their {@code Content-Type} and
 * {@code Content-Disposition}. The bytes are copied from the store as they are read (never held whole); the
 * length is known up front, so the answer carries a {@code Content-Length}.
 */
final class MultipartMediaResponse {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BUFFER = 64 * 1024;

    private MultipartMediaResponse() {
    }

    static void write(HttpServletResponse response, String contentType, String contentDisposition, long length,
            Supplier<InputStream> body) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String boundary = HexFormat.of().formatHex(nonce);
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + boundary
                + "\r\nContent-Type: " + headerValue(type) + "\r\nContent-Disposition: " + headerValue(contentDisposition)
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        response.setStatus(200);
        response.setHeader("Content-Type", "multipart/mixed; boundary=" + boundary);
        response.setContentLengthLong(head.length + length + tail.length);
        OutputStream out = response.getOutputStream();
        out.write(head);
        try (InputStream in = body.get()) {
            byte[] buffer = new byte[BUFFER];
            long remaining = length;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("stored media shorter than recorded");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
        out.write(tail);
        out.flush();
    }

    /** Header values never carry line breaks (a stored content type is the uploader's input). */
    private static String headerValue(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }
}

package de.tim.gateway.route;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The raw request path split into decoded segments, accepted only in canonical form: no dot segments,
 * no empty segments except a final one, no path parameters ({@code ;}), no encoded slashes or dots
 * hiding a segment boundary, valid percent-encoding of UTF-8. The gateway checks and forwards exactly
 * this path, so what it inspects is what the homeserver executes.
 *
 * @param raw      the raw (still encoded) path as received
 * @param segments the decoded segments; the first is the one after the leading slash
 */
public record RequestPath(String raw, List<String> segments) {

    public RequestPath {
        segments = List.copyOf(segments);
    }

    /** Parses a raw path; empty when it is not canonical. */
    public static Optional<RequestPath> parse(String raw) {
        if (raw == null || !raw.startsWith("/") || raw.indexOf(';') >= 0 || raw.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        String[] parts = raw.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() && i < parts.length - 1) {
                return Optional.empty();
            }
            Optional<String> decoded = decode(part);
            if (decoded.isEmpty()) {
                return Optional.empty();
            }
            String segment = decoded.get();
            if (segment.equals(".") || segment.equals("..") || segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0
                    || segment.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return Optional.empty();
            }
            segments.add(segment);
        }
        return Optional.of(new RequestPath(raw, segments));
    }

    private static Optional<String> decode(String part) {
        if (part.indexOf('%') < 0) {
            return Optional.of(part);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(part.charAt(i + 1), 16);
                int lo = Character.digit(part.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0x7f) {
                return Optional.empty();
            } else {
                bytes.write(c);
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}

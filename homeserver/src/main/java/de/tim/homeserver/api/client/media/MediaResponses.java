package de.tim.homeserver.api.client.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes media bytes with the headers that make serving user content safe: {@code Content-Disposition}
 * inline only for the types the spec (v1.12) lists as safe to show, attachment otherwise, with the file name
 * encoded per RFC 6266/5987; a sandboxing {@code Content-Security-Policy}; {@code nosniff};
 * {@code Cross-Origin-Resource-Policy: cross-origin}. Single byte ranges are answered with 206.
 */
public final class MediaResponses {

    static final String CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; script-src 'none'; "
            + "plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';";

    /** Content types served inline (Matrix v1.12 "Content-Disposition" rules); everything else is an attachment. */
    static final Set<String> INLINE_TYPES = Set.of("text/css", "text/plain", "text/csv", "application/json",
            "application/ld+json", "image/jpeg", "image/gif", "image/png", "image/apng", "image/webp", "image/avif",
            "video/mp4", "video/webm", "video/ogg", "video/quicktime", "audio/mp4", "audio/webm", "audio/aac",
            "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wav", "audio/flac",
            "audio/x-flac");

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int BUFFER = 64 * 1024;

    private MediaResponses() {
    }

    /** Streams {@code length} bytes opened by {@code body} (only when needed) with the safe headers. */
    static void write(HttpServletRequest request, HttpServletResponse response, String contentType, long length,
            String fileName, Supplier<InputStream> body) throws IOException {
        safeHeaders(response, contentType, fileName);
        response.setHeader("Accept-Ranges", "bytes");
        long start = 0;
        long end = length - 1;
        String range = request.getHeader("Range");
        if (range != null) {
            long[] parsed = parseRange(range.trim(), length);
            if (parsed == null) {
                response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
                response.setHeader("Content-Range", "bytes */" + length);
                response.setContentLengthLong(0);
                return;
            }
            if (parsed.length == 2) {
                start = parsed[0];
                end = parsed[1];
                response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
                response.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + length);
            }
        }
        long count = end - start + 1;
        response.setContentLengthLong(count);
        if ("HEAD".equals(request.getMethod()) || count <= 0) {
            return;
        }
        try (InputStream in = body.get()) {
            in.skipNBytes(start);
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            long remaining = count;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("stored media shorter than recorded");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
    }

    private static void safeHeaders(HttpServletResponse response, String contentType, String fileName) {
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        response.setHeader("Content-Type", type);
        response.setHeader("Content-Disposition", contentDisposition(type, fileName));
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
        response.setHeader("Cache-Control", "private, max-age=86400");
    }

    /**
     * Headers for media that arrives while it is sent (remote media being fetched): the same safe headers, the
     * length if known (else chunked), no ranges. Returns the body's stream.
     */
    static OutputStream writeLive(HttpServletResponse response, String contentType, long length, String fileName)
            throws IOException {
        safeHeaders(response, contentType, fileName);
        if (length >= 0) {
            response.setContentLengthLong(length);
        }
        return response.getOutputStream();
    }

    /**
     * {@code [start, end]} of a single satisfiable range, an empty array when the header is to be ignored
     * (multiple ranges, other units, malformed), null when the range cannot be satisfied.
     */
    static long[] parseRange(String header, long length) {
        Matcher m = RANGE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())
                || m.group(1).length() > 18 || m.group(2).length() > 18) {
            return new long[0];
        }
        long start;
        long end;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || length == 0) {
                return null;
            }
            start = Math.max(0, length - suffix);
            end = length - 1;
        } else {
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
            if (m.group(2).isEmpty() ? false : Long.parseLong(m.group(2)) < start) {
                return new long[0];
            }
            if (start >= length) {
                return null;
            }
        }
        return new long[] {start, end};
    }

    /** {@code inline} or {@code attachment}, with the file name as RFC 6266 quoted-string or RFC 5987 ext-value. */
    public static String contentDisposition(String contentType, String fileName) {
        String disposition = INLINE_TYPES.contains(baseType(contentType)) ? "inline" : "attachment";
        if (fileName == null || fileName.isEmpty()) {
            return disposition;
        }
        if (isPlainAscii(fileName)) {
            return disposition + "; filename=\"" + fileName + "\"";
        }
        return disposition + "; filename*=utf-8''" + rfc5987(fileName);
    }

    private static boolean isPlainAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '%') {
                return false;
            }
        }
        return true;
    }

    private static String rfc5987(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    static String baseType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}

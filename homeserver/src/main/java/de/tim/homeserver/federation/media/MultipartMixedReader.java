package de.tim.homeserver.federation.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/mixed} body (RFC 2046) part by part without holding a part in memory: each part's
 * body is a stream that ends at the next delimiter. Only what the federation media answers need: header
 * lines of at most {@value #MAX_HEADER_BYTES} bytes per part, any preamble skipped, the epilogue ignored.
 */
final class MultipartMixedReader {

    /** One part: its headers (lower-case names) and its body, valid until {@link #next()} is called again. */
    record Part(Map<String, String> headers, InputStream body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final int BUFFER = 64 * 1024;
    private static final Pattern BOUNDARY = Pattern.compile(
            "(?i)^\\s*multipart/mixed\\s*;(?:.*;)?\\s*boundary\\s*=\\s*(?:\"([^\"]{1,70})\"|([^\\s;\"]{1,70}))\\s*(?:;.*)?$");

    private final InputStream in;
    /** {@code \r\n--boundary}; the first delimiter may come without the leading line break. */
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean started;
    private boolean finished;
    private PartBody current;

    MultipartMixedReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[BUFFER + delimiter.length];
    }

    /** The boundary of a {@code multipart/mixed} content type, or null if it is not one. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.matches()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    /** The next part, or null after the closing delimiter. A part not read to its end is skipped. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (!started) {
            started = true;
            skipPreamble();
        } else {
            if (current != null) {
                current.skipRest();
            }
        }
        if (finished) {
            return null;
        }
        Map<String, String> headers = readHeaders();
        current = new PartBody();
        return new Part(headers, current);
    }

    /** Finds the first delimiter (at the very start, or after a line break) and its line's end. */
    private void skipPreamble() throws IOException {
        // pretend a line break before the body so a delimiter at offset 0 matches too
        fill(delimiter.length - 2);
        if (startsWith(delimiter, 2)) {
            pos += delimiter.length - 2;
        } else {
            long skipped = 0;
            while (true) {
                int found = find();
                if (found >= 0) {
                    pos = found + delimiter.length;
                    break;
                }
                int keep = Math.max(pos, limit - delimiter.length + 1);
                skipped += keep - pos;
                pos = keep;
                if (skipped > MAX_HEADER_BYTES || !fillMore()) {
                    throw new IOException("multipart body without delimiter");
                }
            }
        }
        afterDelimiter();
    }

    /** After a delimiter: {@code --} ends the body, otherwise the rest of the line (transport padding) is skipped. */
    private void afterDelimiter() throws IOException {
        fill(2);
        if (limit - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return;
        }
        skipLine();
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            String line = readLine();
            total += line.length() + 2;
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("multipart part headers too large");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed multipart header line");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (pos >= limit && !fillMore()) {
                throw new IOException("multipart body ended inside part headers");
            }
            byte b = buf[pos++];
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) (b & 0xff));
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("multipart header line too long");
            }
        }
    }

    private void skipLine() throws IOException {
        int skipped = 0;
        while (true) {
            if (pos >= limit && !fillMore()) {
                throw new IOException("multipart body ended after a delimiter");
            }
            if (buf[pos++] == '\n') {
                return;
            }
            if (++skipped > MAX_HEADER_BYTES) {
                throw new IOException("multipart delimiter line too long");
            }
        }
    }

    /** Index of the delimiter in {@code buf[pos, limit)}, or -1. */
    private int find() {
        outer:
        for (int i = pos; i <= limit - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private boolean startsWith(byte[] bytes, int from) {
        if (limit - pos < bytes.length - from) {
            return false;
        }
        for (int j = from; j < bytes.length; j++) {
            if (buf[pos + j - from] != bytes[j]) {
                return false;
            }
        }
        return true;
    }

    /** Tries to have at least {@code n} unread bytes buffered (fewer only at the end of the stream). */
    private void fill(int n) throws IOException {
        while (limit - pos < n && fillMore()) {
            // reading
        }
    }

    /** Reads more bytes into the buffer (compacting it first); false at the end of the stream. */
    private boolean fillMore() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            return true;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            return false;
        }
        limit += n;
        return true;
    }

    /** A part's body: the bytes up to the next delimiter. */
    private final class PartBody extends InputStream {

        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended || current != this) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int found = find();
                if (found == pos) {
                    ended = true;
                    pos += delimiter.length;
                    afterDelimiter();
                    return -1;
                }
                // bytes before a delimiter, or all but a possible delimiter prefix at the end
                int safe = found >= 0 ? found : limit - delimiter.length + 1;
                if (safe > pos) {
                    int n = Math.min(len, safe - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                int before = limit - pos;
                if (!fillMore() || (limit - pos == before && limit == buf.length)) {
                    throw new IOException("multipart body ended inside a part");
                }
            }
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
    }
}

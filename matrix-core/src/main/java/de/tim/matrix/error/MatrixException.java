package de.tim.matrix.error;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Matrix API error: answered as {@code {"errcode": "...", "error": "..."}} with the HTTP status the
 * spec prescribes for the endpoint. The message is shown to clients, so it never carries tokens,
 * message content or more personal data than the caller already sent.
 */
public class MatrixException extends RuntimeException {

    private final int status;
    private final String errcode;
    private final Map<String, Object> extra;

    public MatrixException(int status, String errcode, String message) {
        this(status, errcode, message, Map.of());
    }

    public MatrixException(int status, String errcode, String message, Map<String, Object> extra) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.status = status;
        this.errcode = Objects.requireNonNull(errcode, "errcode");
        this.extra = Map.copyOf(extra);
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }

    /** Additional top-level fields of the error body, e.g. {@code retry_after_ms}. */
    public Map<String, Object> extra() {
        return extra;
    }

    /** The response body: errcode, error and any extra fields, in that order. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", errcode);
        body.put("error", getMessage());
        body.putAll(extra);
        return body;
    }

    public static MatrixException forbidden(String message) {
        return new MatrixException(403, MatrixErrorCodes.M_FORBIDDEN, message);
    }

    public static MatrixException notFound(String message) {
        return new MatrixException(404, MatrixErrorCodes.M_NOT_FOUND, message);
    }

    public static MatrixException unrecognized(int status, String message) {
        return new MatrixException(status, MatrixErrorCodes.M_UNRECOGNIZED, message);
    }

    public static MatrixException missingToken() {
        return new MatrixException(401, MatrixErrorCodes.M_MISSING_TOKEN, "Missing access token");
    }

    public static MatrixException unknownToken(boolean softLogout) {
        return new MatrixException(401, MatrixErrorCodes.M_UNKNOWN_TOKEN, "Unrecognised access token",
                Map.of("soft_logout", softLogout));
    }

    public static MatrixException badJson(String message) {
        return new MatrixException(400, MatrixErrorCodes.M_BAD_JSON, message);
    }

    public static MatrixException notJson(String message) {
        return new MatrixException(400, MatrixErrorCodes.M_NOT_JSON, message);
    }

    public static MatrixException missingParam(String message) {
        return new MatrixException(400, MatrixErrorCodes.M_MISSING_PARAM, message);
    }

    public static MatrixException invalidParam(String message) {
        return new MatrixException(400, MatrixErrorCodes.M_INVALID_PARAM, message);
    }

    public static MatrixException tooLarge(String message) {
        return new MatrixException(413, MatrixErrorCodes.M_TOO_LARGE, message);
    }

    public static MatrixException limitExceeded(long retryAfterMs) {
        return new MatrixException(429, MatrixErrorCodes.M_LIMIT_EXCEEDED, "Too many requests",
                Map.of("retry_after_ms", retryAfterMs));
    }

    public static MatrixException unsupportedRoomVersion(String version) {
        return new MatrixException(400, MatrixErrorCodes.M_UNSUPPORTED_ROOM_VERSION,
                "Room version not supported: " + version);
    }

    public static MatrixException unknown(int status, String message) {
        return new MatrixException(status, MatrixErrorCodes.M_UNKNOWN, message);
    }
}

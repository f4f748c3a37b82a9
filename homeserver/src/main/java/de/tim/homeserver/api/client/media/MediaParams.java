package de.tim.homeserver.api.client.media;

import java.util.Locale;

import de.tim.homeserver.media.ThumbnailSpec;
import de.tim.matrix.error.MatrixException;

/** Query parameters of the media download and thumbnail endpoints (client and federation), 400 on bad values. */
public final class MediaParams {

    /** The spec's default {@code timeout_ms}. */
    public static final long DEFAULT_TIMEOUT_MS = 20_000;

    private MediaParams() {
    }

    /** {@code width}/{@code height}/{@code method} of a thumbnail request. */
    public static ThumbnailSpec thumbnailSpec(String width, String height, String method) {
        return new ThumbnailSpec(dimension(width, "width"), dimension(height, "height"), method(method));
    }

    static int dimension(String value, String name) {
        if (value == null) {
            throw MatrixException.missingParam("Missing " + name);
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed <= 0 || parsed > 10_000) {
                throw MatrixException.invalidParam(name + " must be between 1 and 10000");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam(name + " must be an integer");
        }
    }

    static ThumbnailSpec.Method method(String value) {
        if (value == null) {
            return ThumbnailSpec.Method.SCALE;
        }
        return switch (value) {
            case "crop" -> ThumbnailSpec.Method.CROP;
            case "scale" -> ThumbnailSpec.Method.SCALE;
            default -> throw MatrixException.invalidParam("method must be crop or scale");
        };
    }

    /** A boolean query flag ({@code true}/{@code false}, any case); {@code fallback} when absent. */
    public static boolean flag(String value, String name, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw MatrixException.invalidParam(name + " must be true or false");
        };
    }

    /** {@code timeout_ms}; the spec's default when absent, never negative. */
    public static long timeout(String value) {
        if (value == null) {
            return DEFAULT_TIMEOUT_MS;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("timeout_ms must be an integer");
        }
    }
}

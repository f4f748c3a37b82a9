package de.tim.homeserver.media;

import java.util.List;

/**
 * A thumbnail size and method. Requests are mapped to the smallest of the sizes the spec recommends that
 * is at least as large in both dimensions, so few variants per image are generated and cached; requests
 * larger than every recommended size are served at their own size.
 */
public record ThumbnailSpec(int width, int height, Method method) {

    public enum Method { CROP, SCALE }

    /** The spec's recommendation: 32x32 and 96x96 crop, 320x240, 640x480 and 800x600 scale. */
    static final List<ThumbnailSpec> RECOMMENDED = List.of(
            new ThumbnailSpec(32, 32, Method.CROP), new ThumbnailSpec(96, 96, Method.CROP),
            new ThumbnailSpec(320, 240, Method.SCALE), new ThumbnailSpec(640, 480, Method.SCALE),
            new ThumbnailSpec(800, 600, Method.SCALE));

    public static ThumbnailSpec forRequest(int width, int height, Method method) {
        for (ThumbnailSpec spec : RECOMMENDED) {
            if (spec.method == method && spec.width >= width && spec.height >= height) {
                return spec;
            }
        }
        return new ThumbnailSpec(width, height, method);
    }

    String key(String mediaId) {
        return mediaId + "/" + width + "x" + height + "/" + method.name().toLowerCase(java.util.Locale.ROOT);
    }
}

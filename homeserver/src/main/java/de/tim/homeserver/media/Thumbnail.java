package de.tim.homeserver.media;

/** A generated thumbnail, cached in the {@link MediaStore}. */
public record Thumbnail(String fileId, String contentType, long size, int width, int height) {
}

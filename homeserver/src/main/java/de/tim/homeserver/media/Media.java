package de.tim.homeserver.media;

import org.bson.Document;

/**
 * Metadata of one local media item. {@code state}: {@code pending} (created, waiting for its upload),
 * {@code uploading} (bytes being stored), {@code ready} or {@code deleting}.
 */
public record Media(String mediaId, String uploader, String state, String contentType, long size, String sha256,
        String uploadName, long createdTs, String fileId, Long unusedExpiresAt) {

    static final String PENDING = "pending";
    static final String UPLOADING = "uploading";
    static final String READY = "ready";
    /** Being deleted (bytes first, then this record); never served again. */
    static final String DELETING = "deleting";

    public boolean ready() {
        return READY.equals(state);
    }

    static Media of(Document doc) {
        Number size = doc.get("size", Number.class);
        Number expires = doc.get("unused_expires_at", Number.class);
        Number created = doc.get("created_ts", Number.class);
        return new Media(doc.getString("_id"), doc.getString("uploader"), doc.getString("state"),
                doc.getString("content_type"), size == null ? 0 : size.longValue(), doc.getString("sha256"),
                doc.getString("upload_name"), created == null ? 0 : created.longValue(), doc.getString("file_id"),
                expires == null ? null : expires.longValue());
    }
}

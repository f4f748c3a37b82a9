package de.tim.homeserver.media;

import java.io.IOException;
import java.io.InputStream;

import com.mongodb.client.MongoDatabase;

/**
 * Where the bytes of media and thumbnails live, per domain database. Metadata is kept by
 * {@link MediaRepository}; a store only knows files by the id it handed out and by the name (the media id)
 * they were stored under.
 */
public interface MediaStore {

    /** A stored file: its id in the store, its length and the hex SHA-256 of its bytes. */
    record StoredFile(String fileId, long length, String sha256) {
    }

    /**
     * Streams {@code in} into a new file named {@code name}. Never holds the whole file in memory. When the
     * stream is longer than {@code maxBytes} or anything fails, nothing remains stored and the exception
     * (413 M_TOO_LARGE for the size) is thrown.
     */
    StoredFile store(MongoDatabase database, String name, InputStream in, long maxBytes) throws IOException;

    /** The file's bytes from the start; {@code skip} on the stream is cheap. */
    InputStream open(MongoDatabase database, String fileId);

    /** Deletes the file; a file that does not exist is no error. */
    void delete(MongoDatabase database, String fileId);

    /** Deletes every file stored under {@code name} (left-overs of interrupted uploads). */
    void deleteNamed(MongoDatabase database, String name);

    /**
     * Deletes the complete files named {@code name} written before {@code uploadedBefore} (epoch millis): left-overs
     * of a fetch interrupted after its bytes were stored; later files (a fetch under way now) stay.
     */
    int deleteNamedBefore(MongoDatabase database, String name, long uploadedBefore);

    /** Deletes every file whose name starts with {@code prefix} (thumbnails: {@code <mediaId>/}). */
    void deleteNamedWithPrefix(MongoDatabase database, String prefix);

    /**
     * Deletes stored pieces of files that were never completed (a process killed mid-upload) and were
     * started before {@code startedBefore} (epoch millis); returns how many files' pieces were removed.
     */
    int deleteAbandoned(MongoDatabase database, long startedBefore);
}

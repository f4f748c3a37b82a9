package de.tim.homeserver.media;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

import de.tim.homeserver.domain.Domain;

/**
 * The transport for media of other servers, implemented by federation ({@code GET
 * /_matrix/federation/v1/media/download|thumbnail/{mediaId}} through the Messenger-Proxy's egress). It only opens
 * the remote content; {@link RemoteMediaService} caches it in the domain's {@link MediaStore}. Without a bean of
 * this type remote media answer 404 M_NOT_FOUND.
 */
public interface RemoteMediaFetcher {

    /**
     * Remote content being received: its type, file name (null if none), length (-1 if not announced) and bytes.
     * Closing it releases the connection.
     */
    record RemoteContent(String contentType, String fileName, long length, InputStream body, Closeable connection)
            implements Closeable {
        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    /**
     * Opens the media. Throws {@link de.tim.matrix.error.MatrixException} for the client: 404 M_NOT_FOUND if the
     * origin does not have it, 502 M_TOO_LARGE if it refuses to serve it, 504 M_NOT_YET_UPLOADED, 502 M_UNKNOWN if it
     * cannot be reached.
     */
    RemoteContent download(Domain domain, String serverName, String mediaId, long timeoutMs);

    /** Opens a thumbnail of the media for {@code spec}; errors as {@link #download}. */
    RemoteContent thumbnail(Domain domain, String serverName, String mediaId, ThumbnailSpec spec, long timeoutMs);
}

package de.tim.homeserver.media;

import java.util.Optional;

import de.tim.homeserver.domain.Domain;

/**
 * The seam for media of other servers, to be implemented by federation ({@code GET
 * /_matrix/federation/v1/media/download/{mediaId}} through the Messenger-Proxy's egress). Until a bean of
 * this type exists, remote media answer 404 M_NOT_FOUND. An implementation is expected to cache what it
 * fetched as media of its own (in the domain's {@link MediaStore}) and to refuse files above the upload limit
 * with 502 M_TOO_LARGE.
 */
public interface RemoteMediaFetcher {

    /** The remote media as cached locally, or empty if the origin does not have it. */
    Optional<Media> fetch(Domain domain, String serverName, String mediaId, long timeoutMs);
}

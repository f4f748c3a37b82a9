package de.tim.homeserver.api.client.media;

import de.tim.homeserver.media.Media;
import de.tim.homeserver.media.MediaProperties;
import de.tim.matrix.error.MatrixException;

/**
 * The deprecated unauthenticated media endpoints answer only while {@code legacy-endpoints} is on, and from
 * {@code legacy-freeze-at} on only for media uploaded (or, remote, cached) before it (Matrix 1.12 freeze).
 */
final class LegacyMedia {

    private LegacyMedia() {
    }

    static void require(MediaProperties properties) {
        if (!properties.legacyEndpoints()) {
            throw MatrixException.unrecognized(404, "Unrecognized request");
        }
    }

    /** The freeze instant (epoch millis) of the legacy endpoints, or null if they are not frozen. */
    static Long frozenAt(MediaProperties properties) {
        return properties.legacyFreezeAt() == null ? null : properties.legacyFreezeAt().toEpochMilli();
    }

    /** Local media as the legacy endpoints may serve it: uploaded before the freeze, else 404. */
    static Media unfrozen(Media media, Long frozenAt) {
        if (frozenAt != null && media.createdTs() >= frozenAt) {
            throw MatrixException.notFound("Unknown media");
        }
        return media;
    }
}

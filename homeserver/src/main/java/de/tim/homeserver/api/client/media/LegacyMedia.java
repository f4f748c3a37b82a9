package de.tim.homeserver.api.client.media;

import de.tim.homeserver.media.MediaProperties;
import de.tim.matrix.error.MatrixException;

/** The deprecated unauthenticated media endpoints answer only while {@code legacy-endpoints} is on. */
final class LegacyMedia {

    private LegacyMedia() {
    }

    static void require(MediaProperties properties) {
        if (!properties.legacyEndpoints()) {
            throw MatrixException.unrecognized(404, "Unrecognized request");
        }
    }
}

package de.tim.homeserver.media;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.RoomContentListener;
import de.tim.homeserver.user.ProfileChangeListener;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link MediaReferenceRepository} current: every stored event records the {@code mxc://} URIs its
 * content references for its room (before the event is stored, so no event exists without its
 * references), profile avatars are references of {@code profile:<user id>}. When a room is purged, each of
 * its local media is deleted unless another room or a profile still references it; the room's reference
 * goes last, so a re-run of an interrupted purge finds and finishes it.
 */
@Component
class MediaRoomReferences implements RoomContentListener, ProfileChangeListener {

    private static final int BATCH = 500;

    private final MediaReferenceRepository references;
    private final MediaRepository repository;
    private final MediaDeletion deletion;
    private final Clock clock = Clock.systemUTC();

    MediaRoomReferences(MediaReferenceRepository references, MediaRepository repository, MediaDeletion deletion) {
        this.references = references;
        this.repository = repository;
        this.deletion = deletion;
    }

    @Override
    public void eventStoring(Domain domain, String roomId, JsonNode content) {
        for (MediaUris.MxcUri uri : MediaUris.referencedBy(content)) {
            add(domain, roomId, uri);
        }
    }

    private void add(Domain domain, String owner, MediaUris.MxcUri uri) {
        references.add(domain.database(), owner, uri, clock.millis());
        if (uri.serverName().equals(domain.serverName())) {
            repository.markReferenced(domain.database(), uri.mediaId(), true);
        }
    }

    @Override
    public void roomPurging(Domain domain, String roomId) {
        MongoDatabase db = domain.database();
        while (true) {
            List<MediaUris.MxcUri> page = references.ofOwner(db, roomId, BATCH);
            for (MediaUris.MxcUri uri : page) {
                boolean local = uri.serverName().equals(domain.serverName());
                boolean deleted = false;
                if (local && references.owners(db, uri, roomId, 1).isEmpty()) {
                    deletion.delete(db, uri.mediaId());
                    deleted = true;
                }
                references.remove(db, roomId, uri);
                // another room purged at the same time may have kept it because of this room's reference
                if (local && !deleted && !references.referenced(db, uri)) {
                    deletion.delete(db, uri.mediaId());
                }
            }
            if (page.size() < BATCH) {
                return;
            }
        }
    }

    @Override
    public void profileChanged(Domain domain, String userId, String displayname, String avatarUrl) {
        String owner = MediaReferenceRepository.PROFILE + userId;
        MediaUris.MxcUri current = MediaUris.MxcUri.parse(avatarUrl);
        if (current != null) {
            add(domain, owner, current);
        }
        for (MediaUris.MxcUri old : references.ofOwner(domain.database(), owner, BATCH)) {
            if (!old.equals(current)) {
                references.remove(domain.database(), owner, old);
            }
        }
    }
}

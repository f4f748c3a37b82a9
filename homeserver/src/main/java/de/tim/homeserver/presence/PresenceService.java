package de.tim.homeserver.presence;

import java.util.Collection;
import java.util.Set;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.SyncSignals;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Presence state set by clients ({@code online}, {@code unavailable}, {@code offline}); every change wakes
 * waiting syncs (here and, through {@link SyncSignals}, on the other instances).
 */
@Service
public class PresenceService {

    private static final Set<String> STATES = Set.of("online", "unavailable", "offline");
    /** A user counts as currently active within this time after their last update as online. */
    private static final long CURRENTLY_ACTIVE_MS = 5 * 60_000;

    private final PresenceRepository repository;
    private final StreamPositions positions;
    private final SyncSignals signals;

    PresenceService(PresenceRepository repository, StreamPositions positions, SyncSignals signals) {
        this.signals = signals;
        this.repository = repository;
        this.positions = positions;
    }

    /** A user's presence as {@code GET /presence/{userId}/status} shows it. */
    public record Status(String presence, String statusMsg, Long lastActiveAgo, Boolean currentlyActive) {
    }

    public void set(Domain domain, String userId, String presence, String statusMsg) {
        if (presence == null || !STATES.contains(presence)) {
            throw MatrixException.badJson("presence must be one of online, unavailable, offline");
        }
        long pos = repository.put(domain.database(), userId, presence, statusMsg, System.currentTimeMillis(),
                positions.next(domain, StreamPositions.PRESENCE));
        signals.changed(domain, StreamPositions.PRESENCE, pos);
    }

    /**
     * Those of {@code userIds} whose presence changed in the sync window {@code (after, upTo]} ({@code upTo} a
     * read watermark of {@link StreamPositions#PRESENCE}).
     */
    public Set<String> changed(Domain domain, Collection<String> userIds, long after, long upTo) {
        if (userIds.isEmpty() || upTo <= after) {
            return Set.of();
        }
        return repository.changed(domain.database(), userIds, after, upTo);
    }

    /** The stored presence, or {@code offline} for a user who never set one. */
    public Status get(Domain domain, String userId) {
        Document doc = repository.find(domain.database(), userId);
        if (doc == null) {
            return new Status("offline", null, null, null);
        }
        long ago = Math.max(0, System.currentTimeMillis() - doc.get("last_active_ts", 0L));
        String presence = doc.getString("presence");
        return new Status(presence, doc.getString("status_msg"), ago,
                "online".equals(presence) && ago < CURRENTLY_ACTIVE_MS);
    }
}

package de.tim.homeserver.presence;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.RoomReader;
import de.tim.homeserver.room.SyncSignals;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.homeserver.stream.StreamWatermark;
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
    private final StreamWatermark watermark;
    private final SyncSignals signals;
    private final RoomReader rooms;

    PresenceService(PresenceRepository repository, StreamPositions positions, StreamWatermark watermark, SyncSignals signals,
            RoomReader rooms) {
        this.rooms = rooms;
        this.watermark = watermark;
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

    /**
     * Presence of a user of another server as its server announced it ({@code m.presence} EDU):
     * {@code lastActiveAgo} is counted back from now. Wakes waiting syncs like a local change.
     */
    public void setRemote(Domain domain, String userId, String presence, String statusMsg, long lastActiveAgo) {
        if (presence == null || !STATES.contains(presence) || domain.isLocal(userId)) {
            throw new IllegalArgumentException("not a remote presence");
        }
        long pos = repository.put(domain.database(), userId, presence, statusMsg,
                System.currentTimeMillis() - Math.max(0, lastActiveAgo), positions.next(domain, StreamPositions.PRESENCE));
        signals.changed(domain, StreamPositions.PRESENCE, pos);
    }

    /** A presence change: the user, its stream position and the presence now. */
    public record Change(String userId, long pos, Status status) {
    }

    /**
     * Presence changes with a stream position above {@code after} up to the read watermark (so a reader's cursor
     * never passes a write in flight), oldest first (for federation).
     */
    public java.util.List<Change> changedAfter(Domain domain, long after, int limit) {
        java.util.List<Change> result = new java.util.ArrayList<>();
        long upTo = watermark.upTo(domain, StreamPositions.PRESENCE);
        for (Document doc : repository.changedAfter(domain.database(), after, upTo, limit)) {
            result.add(new Change(doc.getString("_id"), doc.get("stream_pos", 0L), status(doc)));
        }
        return result;
    }

    /** The stored presence, or {@code offline} for a user who never set one. */
    public Status get(Domain domain, String userId) {
        Document doc = repository.find(domain.database(), userId);
        if (doc == null) {
            return new Status("offline", null, null, null);
        }
        return status(doc);
    }

    /**
     * The presence of a user of this server for {@code viewer}: their own, or that of a user sharing a joined room
     * with them now (the users whose presence reaches {@code viewer}'s /sync); else 403 {@code M_FORBIDDEN}, also
     * for users who do not exist (so the answer does not tell who has an account here).
     */
    public Status local(Domain domain, String viewer, String userId) {
        if (!domain.isLocal(userId)) {
            throw new IllegalArgumentException("not a user of this server");
        }
        if (!viewer.equals(userId)) {
            requireSharedRoom(domain, viewer, userId);
        }
        return get(domain, userId);
    }

    /**
     * The presence of a user of another server for {@code viewer}, as this server knows it from that server's
     * {@code m.presence} EDUs: only while the two share a joined room (the users whose presence reaches
     * {@code viewer}'s /sync; else 403 {@code M_FORBIDDEN}), 404 {@code M_NOT_FOUND} when nothing was received.
     */
    public Status remote(Domain domain, String viewer, String userId) {
        if (domain.isLocal(userId)) {
            throw new IllegalArgumentException("not a user of another server");
        }
        requireSharedRoom(domain, viewer, userId);
        Document doc = repository.find(domain.database(), userId);
        if (doc == null) {
            throw MatrixException.notFound("No presence known for this user");
        }
        return status(doc);
    }

    private void requireSharedRoom(Domain domain, String viewer, String userId) {
        Set<String> viewersRooms = new HashSet<>(rooms.joinedRooms(domain, viewer));
        if (viewersRooms.isEmpty() || Collections.disjoint(viewersRooms, rooms.joinedRooms(domain, userId))) {
            throw MatrixException.forbidden("You are not allowed to see their presence");
        }
    }

    private static Status status(Document doc) {
        long ago = Math.max(0, System.currentTimeMillis() - doc.get("last_active_ts", 0L));
        String presence = doc.getString("presence");
        return new Status(presence, doc.getString("status_msg"), ago,
                "online".equals(presence) && ago < CURRENTLY_ACTIVE_MS);
    }
}

package de.tim.homeserver.room;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Typing notifications and read receipts of users of other servers (EDUs), stored like local ones so
 * {@code /sync} shows them. Users must be joined to the room here; otherwise the EDU is ignored. Like local
 * ones, each change wakes the waiting syncs of this instance and, through {@link SyncSignals}, of the others.
 */
@Component
public class RemoteEphemeral {

    private final EphemeralRepository repository;
    private final StateRepository state;
    private final EventRepository events;
    private final StreamPositions positions;
    private final RoomNotifier notifier;
    private final RoomProperties properties;
    private final SyncSignals signals;

    RemoteEphemeral(EphemeralRepository repository, StateRepository state, EventRepository events, StreamPositions positions,
            RoomNotifier notifier, RoomProperties properties, SyncSignals signals) {
        this.signals = signals;
        this.repository = repository;
        this.state = state;
        this.events = events;
        this.positions = positions;
        this.notifier = notifier;
        this.properties = properties;
    }

    private boolean isJoined(Domain domain, String roomId, String userId) {
        StateEntry m = state.current(domain.database(), roomId).get(StateKey.member(userId));
        return m != null && "join".equals(m.value());
    }

    /** {@code m.typing}; false if ignored. Remote typing ends after the configured maximum timeout. */
    public boolean typing(Domain domain, String roomId, String userId, boolean typing) {
        if (!isJoined(domain, roomId, userId)) {
            return false;
        }
        long until = typing ? System.currentTimeMillis() + properties.typingMaxTimeout().toMillis() : 0;
        long pos = positions.next(domain, EphemeralService.TYPING);
        repository.putTyping(domain.database(), roomId, userId, until, pos);
        notifier.notifyLocal(domain.serverName(), pos);
        signals.changed(domain, EphemeralService.TYPING, pos);
        return true;
    }

    /** A public read receipt ({@code m.read}); false if ignored. */
    public boolean receipt(Domain domain, String roomId, String userId, String type, String eventId, String threadId, long ts) {
        if (!"m.read".equals(type) || !isJoined(domain, roomId, userId)) {
            return false;
        }
        Document event = events.find(domain.database(), eventId);
        if (event == null || !roomId.equals(event.getString("room_id"))) {
            return false;
        }
        long pos = positions.next(domain, EphemeralService.RECEIPTS);
        repository.putReceipt(domain.database(), roomId, userId, type, threadId, eventId, ts, pos);
        notifier.notifyLocal(domain.serverName(), pos);
        signals.changed(domain, EphemeralService.RECEIPTS, pos);
        return true;
    }
}

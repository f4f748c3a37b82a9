package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.StateKey;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Read access for push evaluation and {@code /notifications} (package {@code notification}): an event
 * with the room state after it, history visibility for one reader, and the client format. Kept apart
 * from {@link RoomReader} so that the notification capability does not depend on room internals.
 */
@Service
public class NotificationEventReader {

    /** Stream name of the sync signal sent when counts a sync answered early are complete. */
    static final String COUNTS_SIGNAL = "notification_counts";

    private final RoomReader reader;
    private final EventRepository events;
    private final RoomProperties properties;
    private final SyncSignals signals;

    NotificationEventReader(RoomReader reader, EventRepository events, RoomProperties properties, SyncSignals signals) {
        this.reader = reader;
        this.events = events;
        this.properties = properties;
        this.signals = signals;
    }

    /** Whether persisted events reach {@code room-events} (and hence the push evaluation). */
    public boolean published() {
        return properties.kafkaEnabled();
    }

    /** Position of the room's newest event in {@code (after, upTo]}; -1 if none. */
    public long latestPos(Domain domain, String roomId, long after, long upTo) {
        if (upTo <= after) {
            return -1;
        }
        List<StoredEvent> newest = reader.range(domain, roomId, after, upTo, false, 1);
        return newest.isEmpty() ? -1 : newest.getFirst().pos();
    }

    /**
     * The room's first {@code limit} events (of the stream, not backfilled history) after position {@code after},
     * oldest first. Appends to one room are serialised (an event is inserted only after the room's previous head
     * event is), so no event of the room can still land below the newest one returned.
     */
    public List<StoredEvent> after(Domain domain, String roomId, long after, int limit) {
        return reader.range(domain, roomId, Math.max(after, 0), Long.MAX_VALUE, true, limit);
    }

    /** Counts that a sync answered before their evaluation are complete now: wakes waiting syncs here and elsewhere. */
    public void countsCompleted(Domain domain, long pos) {
        signals.changed(domain, COUNTS_SIGNAL, pos);
    }

    /** An event and the room state after it (members, names, power levels). */
    public record EventInRoom(StoredEvent event, List<String> joined, Map<String, String> displayNames, JsonNode powerLevels,
            String creator, String roomName, String canonicalAlias) {
    }

    /** The event (null for unknown or purged events) with the room's state after it. */
    public Optional<EventInRoom> load(Domain domain, String eventId) {
        Optional<StoredEvent> found = event(domain, eventId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredEvent event = found.get();
        Map<StateKey, StateEntry> state = reader.resolve(domain, event.stateAfter());
        List<String> joined = new ArrayList<>();
        List<String> wanted = new ArrayList<>();
        state.forEach((key, entry) -> {
            if (key.type().equals(EventTypes.MEMBER)) {
                if ("join".equals(entry.value())) {
                    joined.add(key.stateKey());
                    wanted.add(entry.eventId());
                }
            } else if (key.equals(StateKey.POWER_LEVELS) || key.equals(StateKey.CREATE)
                    || key.equals(StateKey.of("m.room.name", "")) || key.equals(StateKey.of("m.room.canonical_alias", ""))) {
                wanted.add(entry.eventId());
            }
        });
        Map<String, String> names = new HashMap<>();
        JsonNode powerLevels = null;
        String creator = null;
        String roomName = null;
        String alias = null;
        for (StoredEvent s : reader.load(domain, wanted)) {
            JsonNode content = s.pdu().content();
            switch (s.type()) {
                case EventTypes.MEMBER -> {
                    if (content.path("displayname").isTextual()) {
                        names.put(s.pdu().stateKey().orElse(""), content.get("displayname").textValue());
                    }
                }
                case EventTypes.POWER_LEVELS -> powerLevels = content;
                case EventTypes.CREATE -> creator = content.path("creator").isTextual() ? content.get("creator").textValue()
                        : s.sender();
                case "m.room.name" -> roomName = content.path("name").isTextual() ? content.get("name").textValue() : null;
                case "m.room.canonical_alias" -> alias = content.path("alias").isTextual() ? content.get("alias").textValue() : null;
                default -> {
                }
            }
        }
        return Optional.of(new EventInRoom(event, joined, names, powerLevels, creator, roomName, alias));
    }

    /** The stored event, empty when unknown or purged. */
    public Optional<StoredEvent> event(Domain domain, String eventId) {
        Document doc = events.find(domain.database(), eventId);
        if (doc == null || doc.getBoolean("purged", false) || doc.getString("pdu") == null) {
            return Optional.empty();
        }
        return Optional.of(StoredEvent.of(doc));
    }

    /** Whether the user may see the event (history visibility, as for {@code /messages}). */
    public boolean canSee(Domain domain, String userId, StoredEvent event) {
        return reader.visibility(domain, userId).canSee(event);
    }

    /** The event in client format for the user (redactions applied). */
    public ObjectNode clientEvent(Domain domain, StoredEvent event, String userId) {
        return ClientEvents.format(reader, domain, event, userId, null);
    }
}

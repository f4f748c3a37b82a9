package de.tim.homeserver.room;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.api.client.capabilities.RoomVersionsProperties;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.PowerLevels;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * "Room upgrades" ({@code POST /rooms/{roomId}/upgrade}), in the spec's server order: the requester
 * must be allowed to send {@code m.room.tombstone}; a replacement room is created with
 * {@code predecessor} (and the old room's {@code type} and {@code m.federate}); the transferable state
 * (server ACL, encryption, name, avatar, topic, guest access, history visibility, join rules, power
 * levels, canonical alias) is copied; local aliases and the directory entry move; the tombstone goes
 * into the old room and its power levels are raised so nobody without power sends or invites.
 * The old room keeps working until the tombstone, so an upgrade interrupted before it leaves an unused
 * new room and an unchanged old one.
 */
@Service
public class RoomUpgrades {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String TOMBSTONE = "m.room.tombstone";
    private static final List<String> TRANSFERRED = List.of("m.room.server_acl", "m.room.encryption", "m.room.name",
            "m.room.avatar", "m.room.topic", "m.room.guest_access", EventTypes.HISTORY_VISIBILITY, EventTypes.JOIN_RULES);

    private final RoomService service;
    private final RoomRepository rooms;
    private final StateRepository state;
    private final EventRepository events;
    private final RoomVersionsProperties versions;

    RoomUpgrades(RoomService service, RoomRepository rooms, StateRepository state, EventRepository events,
            RoomVersionsProperties versions) {
        this.service = service;
        this.rooms = rooms;
        this.state = state;
        this.events = events;
        this.versions = versions;
    }

    /** Upgrades the room; returns the replacement room's id. */
    public String upgrade(Requester requester, String roomId, JsonNode request) {
        ObjectNode body = RoomService.requireObject(request);
        JsonNode requested = body.get("new_version");
        if (requested == null || requested.isNull()) {
            throw MatrixException.missingParam("new_version is required");
        }
        if (!requested.isTextual()) {
            throw MatrixException.badJson("new_version must be a string");
        }
        RoomVersion version = RoomVersion.fromId(requested.textValue()).filter(v -> versions.supported().contains(v.id()))
                .orElseThrow(() -> MatrixException.unsupportedRoomVersion(requested.textValue()));
        Domain domain = requester.domain();
        MongoDatabase db = domain.database();
        Document old = service.requireRoom(domain, roomId);
        RoomVersion oldVersion = RoomVersion.fromId(old.getString("version")).orElseThrow();
        String user = requester.userId();
        Map<StateKey, StateEntry> current = state.current(db, roomId);
        StateEntry member = current.get(StateKey.member(user));
        if (member == null || !EventTypes.JOIN.equals(member.value())) {
            throw MatrixException.forbidden("You are not joined to this room");
        }
        StateEntry createEntry = current.get(StateKey.CREATE);
        ObjectNode oldCreate = content(db, createEntry);
        ObjectNode oldLevels = current.containsKey(StateKey.POWER_LEVELS) ? content(db, current.get(StateKey.POWER_LEVELS)) : null;
        PowerLevels levels = oldLevels != null ? PowerLevels.of(oldLevels, oldVersion)
                : PowerLevels.absent(createEntry == null ? null : sender(db, createEntry), oldVersion);
        if (levels.userLevel(user) < levels.eventLevel(TOMBSTONE, true)) {
            throw MatrixException.forbidden("You are not allowed to upgrade this room");
        }
        service.limit(requester);

        String newRoomId;
        do {
            newRoomId = RoomId.random(ServerName.parse(domain.serverName())).value();
        } while (!rooms.insert(db, newRoomId, version.id(), user, old.getBoolean("is_direct", false), System.currentTimeMillis()));

        ObjectNode create = F.objectNode();
        if (version.createHasCreator()) {
            create.put("creator", user);
        }
        create.put("room_version", version.id());
        for (String copied : List.of("type", "m.federate")) {
            if (oldCreate.has(copied)) {
                create.set(copied, oldCreate.get(copied).deepCopy());
            }
        }
        List<String> head = old.getList("extremities", String.class);
        ObjectNode predecessor = create.putObject("predecessor").put("room_id", roomId);
        if (head != null && !head.isEmpty()) {
            predecessor.put("event_id", head.get(0));
        }
        service.send(domain, newRoomId, EventDraft.state(EventTypes.CREATE, "", user, create));
        service.send(domain, newRoomId, EventDraft.state(EventTypes.MEMBER, user, user,
                service.memberContent(domain, user, EventTypes.JOIN, null)));

        // the copied power levels, with the upgrader raised while the state is copied if they would lack power
        ObjectNode newLevels = oldLevels == null ? null : oldLevels.deepCopy();
        boolean raised = false;
        if (newLevels != null) {
            long needed = levels.eventLevel(EventTypes.POWER_LEVELS, true);
            for (String type : TRANSFERRED) {
                needed = Math.max(needed, levels.eventLevel(type, true));
            }
            needed = Math.max(needed, levels.eventLevel("m.room.canonical_alias", true));
            if (levels.userLevel(user) < needed) {
                ObjectNode temporary = newLevels.deepCopy();
                ObjectNode users = temporary.get("users") instanceof ObjectNode o ? o : temporary.putObject("users");
                users.put(user, needed);
                service.send(domain, newRoomId, EventDraft.state(EventTypes.POWER_LEVELS, "", user, temporary));
                raised = true;
            } else {
                service.send(domain, newRoomId, EventDraft.state(EventTypes.POWER_LEVELS, "", user, newLevels));
            }
        }
        for (String type : TRANSFERRED) {
            StateEntry entry = current.get(StateKey.of(type, ""));
            if (entry != null) {
                ObjectNode content = content(db, entry);
                if (!content.isEmpty()) {
                    service.send(domain, newRoomId, EventDraft.state(type, "", user, content));
                }
            }
        }
        if (raised) {
            service.send(domain, newRoomId, EventDraft.state(EventTypes.POWER_LEVELS, "", user, newLevels));
        }

        // aliases and the directory entry move to the new room
        StateEntry canonical = current.get(StateKey.of("m.room.canonical_alias", ""));
        for (String alias : rooms.aliases(db, roomId)) {
            rooms.moveAlias(db, alias, roomId, newRoomId);
        }
        if (canonical != null) {
            ObjectNode content = content(db, canonical);
            if (!content.isEmpty()) {
                trySend(domain, newRoomId, EventDraft.state("m.room.canonical_alias", "", user, content));
                trySend(domain, roomId, EventDraft.state("m.room.canonical_alias", "", user, F.objectNode()));
            }
        }
        if (old.getBoolean("public", false)) {
            rooms.setPublic(db, newRoomId, true);
            rooms.setPublic(db, roomId, false);
        }

        service.send(domain, roomId, EventDraft.state(TOMBSTONE, "", user, F.objectNode()
                .put("body", "This room has been replaced").put("replacement_room", newRoomId)));
        ObjectNode restricted = oldLevels == null ? F.objectNode() : oldLevels.deepCopy();
        long usersDefault = levels.topLevel("users_default").orElse(PowerLevels.DEFAULT_USERS);
        long restrictedLevel = Math.max(50, usersDefault + 1);
        restricted.put("events_default", Math.max(restrictedLevel,
                levels.topLevel("events_default").orElse(PowerLevels.DEFAULT_EVENTS)));
        restricted.put("invite", Math.max(restrictedLevel, levels.invite()));
        if (oldLevels == null) {
            restricted.putObject("users").put(user, levels.userLevel(user));
        }
        trySend(domain, roomId, EventDraft.state(EventTypes.POWER_LEVELS, "", user, restricted));
        return newRoomId;
    }

    /** Best effort: the upgrader may lack the power for this event in a room with unusual power levels. */
    private void trySend(Domain domain, String roomId, EventDraft draft) {
        try {
            service.send(domain, roomId, draft);
        } catch (MatrixException e) {
            // not allowed: the upgrade stands without it
        }
    }

    private ObjectNode content(MongoDatabase db, StateEntry entry) {
        if (entry == null) {
            return F.objectNode();
        }
        Document doc = events.find(db, entry.eventId());
        return doc == null ? F.objectNode() : (ObjectNode) StoredEvent.of(doc).pdu().content().deepCopy();
    }

    private String sender(MongoDatabase db, StateEntry entry) {
        Document doc = events.find(db, entry.eventId());
        return doc == null ? null : StoredEvent.of(doc).sender();
    }
}

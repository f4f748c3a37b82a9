package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.api.client.capabilities.RoomVersionsProperties;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.RoomAlias;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import org.springframework.stereotype.Service;

/**
 * {@code POST /createRoom}: validates the request completely first, then sends the events in the
 * spec's order: create, creator join, power levels, canonical alias, preset state (join rules,
 * history visibility, guest access), {@code initial_state}, name, topic, invites.
 */
@Service
public class RoomCreation {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> PRESETS = Set.of("private_chat", "trusted_private_chat", "public_chat");

    private final RoomService service;
    private final RoomRepository rooms;
    private final RoomVersionsProperties versions;
    private final RoomProperties properties;

    RoomCreation(RoomService service, RoomRepository rooms, RoomVersionsProperties versions, RoomProperties properties) {
        this.service = service;
        this.rooms = rooms;
        this.versions = versions;
        this.properties = properties;
    }

    public String create(Requester requester, JsonNode request) {
        Domain domain = requester.domain();
        ObjectNode body = RoomService.requireObject(request);
        String versionId = optText(body, "room_version", versions.defaultVersion());
        RoomVersion version = RoomVersion.fromId(versionId).filter(v -> versions.supported().contains(v.id()))
                .orElseThrow(() -> MatrixException.unsupportedRoomVersion(versionId));
        String visibility = optText(body, "visibility", "private");
        if (!visibility.equals("private") && !visibility.equals("public")) {
            throw MatrixException.badJson("visibility must be public or private");
        }
        String preset = optText(body, "preset", visibility.equals("public") ? "public_chat" : "private_chat");
        if (!PRESETS.contains(preset)) {
            throw MatrixException.badJson("Unknown preset");
        }
        boolean direct = optBool(body, "is_direct");
        List<String> invites = stringList(body, "invite");
        for (String invitee : invites) {
            RoomService.MatrixIdsCheck.userId(invitee);
        }
        if (body.has("invite_3pid") && !(body.get("invite_3pid").isArray() && body.get("invite_3pid").isEmpty())) {
            throw MatrixException.forbidden("Third-party invites are not supported");
        }
        Set<String> distinctInvites = new LinkedHashSet<>(invites);
        distinctInvites.remove(requester.userId());
        if (direct && distinctInvites.size() > 1) {
            throw MatrixException.forbidden("A direct chat cannot have more than two members");
        }
        ObjectNode creationContent = optObject(body, "creation_content");
        ObjectNode plOverride = optObject(body, "power_level_content_override");
        List<ObjectNode> initialState = initialState(body);
        String name = optText(body, "name", null);
        String topic = optText(body, "topic", null);
        String aliasName = optText(body, "room_alias_name", null);
        RoomAlias alias = null;
        if (aliasName != null) {
            try {
                alias = RoomAlias.of(aliasName, ServerName.parse(domain.serverName()));
            } catch (IllegalArgumentException e) {
                throw new MatrixException(400, "M_INVALID_ROOM_STATE", "Invalid room alias name");
            }
            if (aliasName.contains(":") || aliasName.contains("#")) {
                throw new MatrixException(400, "M_INVALID_ROOM_STATE", "Invalid room alias name");
            }
            if (rooms.findAlias(domain.database(), alias.value()) != null) {
                throw new MatrixException(400, "M_ROOM_IN_USE", "Room alias already taken");
            }
        }

        service.limit(requester);
        String creator = requester.userId();
        String roomId;
        do {
            roomId = RoomId.random(ServerName.parse(domain.serverName())).value();
        } while (!rooms.insert(domain.database(), roomId, version.id(), creator, direct, System.currentTimeMillis()));

        ObjectNode create = creationContent.deepCopy();
        create.remove(List.of("creator", "room_version"));
        if (version.createHasCreator()) {
            create.put("creator", creator);
        }
        create.put("room_version", version.id());
        service.send(domain, roomId, EventDraft.state(EventTypes.CREATE, "", creator, create));
        service.send(domain, roomId, EventDraft.state(EventTypes.MEMBER, creator, creator,
                service.memberContent(domain, creator, "join", null)));
        service.send(domain, roomId, EventDraft.state(EventTypes.POWER_LEVELS, "", creator,
                powerLevels(creator, preset, distinctInvites, plOverride)));
        if (alias != null) {
            if (!rooms.insertAlias(domain.database(), alias.value(), roomId, creator)) {
                throw new MatrixException(400, "M_ROOM_IN_USE", "Room alias already taken");
            }
            service.send(domain, roomId, EventDraft.state("m.room.canonical_alias", "", creator,
                    F.objectNode().put("alias", alias.value())));
        }
        boolean publicChat = preset.equals("public_chat");
        service.send(domain, roomId, EventDraft.state(EventTypes.JOIN_RULES, "", creator,
                F.objectNode().put("join_rule", publicChat ? "public" : "invite")));
        service.send(domain, roomId, EventDraft.state(EventTypes.HISTORY_VISIBILITY, "", creator,
                F.objectNode().put("history_visibility", properties.defaultHistoryVisibility())));
        service.send(domain, roomId, EventDraft.state("m.room.guest_access", "", creator,
                F.objectNode().put("guest_access", publicChat ? "forbidden" : "can_join")));
        for (ObjectNode event : initialState) {
            service.send(domain, roomId, EventDraft.state(event.get("type").textValue(),
                    event.path("state_key").asText(""), creator, (ObjectNode) event.get("content")));
        }
        if (name != null) {
            service.send(domain, roomId, EventDraft.state("m.room.name", "", creator, F.objectNode().put("name", name)));
        }
        if (topic != null) {
            service.send(domain, roomId, EventDraft.state("m.room.topic", "", creator, F.objectNode().put("topic", topic)));
        }
        Requester asCreator = requester;
        for (String invitee : distinctInvites) {
            service.invite(asCreator, roomId, invitee, null);
        }
        if (visibility.equals("public")) {
            rooms.setPublic(domain.database(), roomId, true);
        }
        return roomId;
    }

    private static ObjectNode powerLevels(String creator, String preset, Set<String> invites, ObjectNode override) {
        ObjectNode users = F.objectNode().put(creator, 100);
        if (preset.equals("trusted_private_chat")) {
            invites.forEach(u -> users.put(u, 100));
        }
        ObjectNode events = F.objectNode().put("m.room.name", 50).put("m.room.power_levels", 100)
                .put("m.room.history_visibility", 100).put("m.room.canonical_alias", 50).put("m.room.avatar", 50)
                .put("m.room.tombstone", 100).put("m.room.server_acl", 100).put("m.room.encryption", 100);
        ObjectNode pl = F.objectNode();
        pl.set("users", users);
        pl.put("users_default", 0);
        pl.set("events", events);
        pl.put("events_default", 0).put("state_default", 50).put("ban", 50).put("kick", 50).put("redact", 50)
                .put("invite", preset.equals("public_chat") ? 50 : 0);
        pl.set("notifications", F.objectNode().put("room", 50));
        for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            pl.set(e.getKey(), e.getValue().deepCopy());
        }
        return pl;
    }

    private static List<ObjectNode> initialState(ObjectNode body) {
        JsonNode list = body.get("initial_state");
        List<ObjectNode> events = new ArrayList<>();
        if (list == null || list.isNull()) {
            return events;
        }
        if (!list.isArray()) {
            throw MatrixException.badJson("initial_state must be an array");
        }
        for (JsonNode e : list) {
            if (!e.isObject() || !e.path("type").isTextual() || !e.path("content").isObject()
                    || (e.has("state_key") && !e.get("state_key").isTextual())) {
                throw MatrixException.badJson("initial_state entries need type, content and a string state_key");
            }
            String type = e.get("type").textValue();
            if (type.equals(EventTypes.CREATE) || type.equals(EventTypes.MEMBER)) {
                throw MatrixException.badJson("initial_state cannot set " + type);
            }
            events.add((ObjectNode) e);
        }
        return events;
    }

    private static String optText(ObjectNode body, String field, String fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw MatrixException.badJson(field + " must be a string");
        }
        return n.textValue();
    }

    private static boolean optBool(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw MatrixException.badJson(field + " must be a boolean");
        }
        return n.booleanValue();
    }

    private static ObjectNode optObject(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return F.objectNode();
        }
        if (!n.isObject()) {
            throw MatrixException.badJson(field + " must be an object");
        }
        return (ObjectNode) n;
    }

    private static List<String> stringList(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        List<String> values = new ArrayList<>();
        if (n == null || n.isNull()) {
            return values;
        }
        if (!n.isArray()) {
            throw MatrixException.badJson(field + " must be an array");
        }
        for (JsonNode v : n) {
            if (!v.isTextual()) {
                throw MatrixException.badJson(field + " must contain strings");
            }
            values.add(v.textValue());
        }
        return values;
    }

}

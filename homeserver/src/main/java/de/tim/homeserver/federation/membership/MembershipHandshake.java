package de.tim.homeserver.federation.membership;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.api.client.capabilities.RoomVersionsProperties;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.ServerName;
import org.springframework.stereotype.Component;

/**
 * The first half of the membership handshakes with a resident server ({@code make_join}, {@code make_knock},
 * {@code make_leave}): asks the resident server for a template (offering our room versions, except for leaves, whose
 * request has none), checks that it is the member event of this user in this room, fills it in (membership, profile
 * for joins and knocks, reason, timestamp) and hashes and signs it with the domain's key.
 */
@Component
class MembershipHandshake {

    /** The filled-in, signed event: as JSON to send and as parsed PDU. */
    record Signed(RoomVersion version, ObjectNode json, Pdu pdu) {
    }

    private final FederationClient client;
    private final UserService users;
    private final RoomVersionsProperties versions;

    MembershipHandshake(FederationClient client, UserService users, RoomVersionsProperties versions) {
        this.client = client;
        this.users = users;
        this.versions = versions;
    }

    /**
     * {@code GET /_matrix/federation/v1/make_<membership>/{roomId}/{userId}?ver=…} at {@code server}, then the signed
     * event; a remote refusal or no answer is a {@code FederationException}, an unusable template 502.
     * {@code usable} narrows the supported room versions (e.g. knocking); {@code fill} adds content of its own (given
     * the template and the new content).
     */
    Signed make(Domain domain, String server, String roomId, String userId, String membership, String reason,
            Predicate<RoomVersion> usable, BiConsumer<ObjectNode, ObjectNode> fill) {
        StringBuilder path = new StringBuilder("/_matrix/federation/v1/make_").append(membership).append('/')
                .append(enc(roomId)).append('/').append(enc(userId));
        boolean leave = EventTypes.LEAVE.equals(membership);
        String sep = "?";
        for (String v : leave ? List.<String>of() : versions.supported()) {
            path.append(sep).append("ver=").append(enc(v));
            sep = "&";
        }
        JsonNode made = client.get(domain, server, path.toString());
        String versionId = made.path("room_version").asText("1");
        RoomVersion version = RoomVersion.fromId(versionId)
                .filter(v -> versions.supported().contains(v.id()) && usable.test(v))
                .orElseThrow(() -> MatrixException.unsupportedRoomVersion(versionId));
        if (!(made.get("event") instanceof ObjectNode template)
                || !roomId.equals(template.path("room_id").asText()) || !userId.equals(template.path("sender").asText())
                || !userId.equals(template.path("state_key").asText()) || !EventTypes.MEMBER.equals(template.path("type").asText())) {
            throw MatrixException.unknown(502, "Resident server sent an unusable " + membership + " template");
        }
        ObjectNode event = template.deepCopy();
        ObjectNode content = event.putObject("content").put("membership", membership);
        fill.accept(template, content);
        if (!leave) {
            users.find(domain, userId).ifPresent(u -> {
                if (u.displayname() != null) {
                    content.put("displayname", u.displayname());
                }
                if (u.avatarUrl() != null) {
                    content.put("avatar_url", u.avatarUrl());
                }
            });
        }
        if (reason != null) {
            content.put("reason", reason);
        }
        event.put("origin_server_ts", System.currentTimeMillis());
        event.remove("signatures");
        event.remove("hashes");
        event.remove("unsigned");
        ObjectNode signed = EventSigning.hashAndSign(event, version, ServerName.parse(domain.serverName()), domain.signingKey());
        try {
            return new Signed(version, signed, Pdu.fromJson(signed.deepCopy(), version));
        } catch (IllegalArgumentException e) {
            throw MatrixException.unknown(502, "Resident server sent an invalid " + membership + " template");
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package de.tim.homeserver.federation.transaction;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.e2ee.InboundToDevice;
import de.tim.homeserver.federation.e2ee.PresenceFederation;
import de.tim.homeserver.federation.e2ee.RemoteDeviceLists;
import de.tim.homeserver.room.RemoteEphemeral;
import de.tim.matrix.id.UserId;
import org.springframework.stereotype.Component;

/**
 * EDUs of inbound transactions: {@code m.typing} and {@code m.receipt} (public read receipts) of the
 * origin's own users; {@code m.direct_to_device}, {@code m.device_list_update}, {@code m.signing_key_update} and
 * {@code m.presence} go to the federation E2EE handlers, which apply the same rule. Malformed EDUs and EDUs about
 * other servers' users are ignored, as EDUs carry no answer.
 */
@Component
class InboundEduHandler {

    private final RemoteEphemeral ephemeral;
    private final InboundToDevice toDevice;
    private final RemoteDeviceLists deviceLists;
    private final PresenceFederation presence;

    InboundEduHandler(RemoteEphemeral ephemeral, InboundToDevice toDevice, RemoteDeviceLists deviceLists,
            PresenceFederation presence) {
        this.ephemeral = ephemeral;
        this.toDevice = toDevice;
        this.deviceLists = deviceLists;
        this.presence = presence;
    }

    void handle(Domain domain, FederationOrigin origin, JsonNode edu) {
        JsonNode content = edu.path("content");
        switch (edu.path("edu_type").asText("")) {
            case "m.typing" -> typing(domain, origin, content);
            case "m.receipt" -> receipts(domain, origin, content);
            case "m.direct_to_device" -> toDevice.receive(domain, origin.server().toString(), content);
            case "m.device_list_update" -> deviceLists.deviceListUpdate(domain, origin.server().toString(), content);
            case "m.signing_key_update" -> deviceLists.signingKeyUpdate(domain, origin.server().toString(), content);
            case "m.presence" -> presence.receive(domain, origin.server().toString(), content);
            default -> {
                // not handled yet
            }
        }
    }

    private void typing(Domain domain, FederationOrigin origin, JsonNode content) {
        String roomId = content.path("room_id").asText(null);
        String userId = content.path("user_id").asText(null);
        JsonNode typing = content.path("typing");
        if (roomId == null || !typing.isBoolean() || !isOrigins(origin, userId)) {
            return;
        }
        ephemeral.typing(domain, roomId, userId, typing.booleanValue());
    }

    private void receipts(Domain domain, FederationOrigin origin, JsonNode content) {
        for (Map.Entry<String, JsonNode> room : content.properties()) {
            for (Map.Entry<String, JsonNode> user : room.getValue().path("m.read").properties()) {
                if (!isOrigins(origin, user.getKey())) {
                    continue;
                }
                JsonNode data = user.getValue().path("data");
                long ts = data.path("ts").isIntegralNumber() ? data.get("ts").longValue() : System.currentTimeMillis();
                String thread = data.path("thread_id").isTextual() ? data.get("thread_id").textValue() : null;
                for (JsonNode eventId : user.getValue().path("event_ids")) {
                    if (eventId.isTextual()) {
                        ephemeral.receipt(domain, room.getKey(), user.getKey(), "m.read", eventId.textValue(), thread, ts);
                    }
                }
            }
        }
    }

    private static boolean isOrigins(FederationOrigin origin, String userId) {
        if (userId == null) {
            return false;
        }
        try {
            return UserId.parseHistorical(userId).domain().equals(origin.server());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

package de.tim.homeserver.api.client.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.federation.membership.RemoteJoinService;
import de.tim.homeserver.federation.membership.RemoteKnockService;
import de.tim.homeserver.federation.membership.RemoteLeaveService;
import de.tim.homeserver.room.RoomReader;
import de.tim.homeserver.room.RoomService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Room membership": joining, inviting, leaving, forgetting, kicking, banning. */
@RestController
public class MembershipEndpoints {

    private final RoomService rooms;
    private final RoomReader reader;
    private final RemoteJoinService remoteJoins;
    private final RemoteLeaveService remoteLeaves;
    private final RemoteKnockService remoteKnocks;

    MembershipEndpoints(RoomService rooms, RoomReader reader, RemoteJoinService remoteJoins,
            RemoteLeaveService remoteLeaves, RemoteKnockService remoteKnocks) {
        this.remoteKnocks = remoteKnocks;
        this.rooms = rooms;
        this.reader = reader;
        this.remoteJoins = remoteJoins;
        this.remoteLeaves = remoteLeaves;
    }

    /** {@code GET /_matrix/client/v3/joined_rooms} */
    @GetMapping("/_matrix/client/v3/joined_rooms")
    Map<String, Object> joinedRooms(Requester requester) {
        return Map.of("joined_rooms", reader.joinedRooms(requester.domain(), requester.userId()));
    }

    /** {@code POST /_matrix/client/v3/join/{roomIdOrAlias}} */
    @PostMapping("/_matrix/client/v3/join/{roomIdOrAlias}")
    Map<String, Object> join(Requester requester, @PathVariable String roomIdOrAlias, @RequestBody(required = false) JsonNode body,
            @RequestParam(name = "server_name", required = false) List<String> serverNames,
            @RequestParam(name = "via", required = false) List<String> via) {
        List<String> servers = new ArrayList<>();
        if (serverNames != null) {
            servers.addAll(serverNames);
        }
        if (via != null) {
            servers.addAll(via);
        }
        return Map.of("room_id", join(requester, roomIdOrAlias, servers, reason(body)));
    }

    private String join(Requester requester, String roomIdOrAlias, List<String> servers, String reason) {
        return remoteJoins.remoteTarget(requester.domain(), requester.userId(), roomIdOrAlias, servers)
                .map(target -> remoteJoins.join(requester, target, reason))
                .orElseGet(() -> rooms.join(requester, roomIdOrAlias, reason));
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/join} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/join")
    Map<String, Object> joinById(Requester requester, @PathVariable String roomId, @RequestBody(required = false) JsonNode body) {
        if (!roomId.startsWith("!")) {
            throw MatrixException.invalidParam("Invalid room id");
        }
        return Map.of("room_id", join(requester, roomId, List.of(), reason(body)));
    }

    /**
     * {@code POST /_matrix/client/v3/knock/{roomIdOrAlias}}; {@code server_name}/{@code via} name servers
     * to knock through, which only matter for rooms this server is not in (make_knock/send_knock).
     */
    @PostMapping("/_matrix/client/v3/knock/{roomIdOrAlias}")
    Map<String, Object> knock(Requester requester, @PathVariable String roomIdOrAlias,
            @RequestBody(required = false) JsonNode body,
            @RequestParam(name = "server_name", required = false) List<String> serverNames,
            @RequestParam(name = "via", required = false) List<String> via) {
        List<String> servers = new ArrayList<>();
        if (serverNames != null) {
            servers.addAll(serverNames);
        }
        if (via != null) {
            servers.addAll(via);
        }
        String reason = reason(body);
        String roomId = remoteJoins.remoteTarget(requester.domain(), requester.userId(), roomIdOrAlias, servers)
                .map(target -> remoteKnocks.knock(requester, target, reason))
                .orElseGet(() -> rooms.knock(requester, roomIdOrAlias, reason));
        return Map.of("room_id", roomId);
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/invite} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/invite")
    Map<String, Object> invite(Requester requester, @PathVariable String roomId, @RequestBody JsonNode body) {
        rooms.invite(requester, roomId, userId(body), reason(body));
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/leave} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/leave")
    Map<String, Object> leave(Requester requester, @PathVariable String roomId, @RequestBody(required = false) JsonNode body) {
        String reason = reason(body);
        remoteLeaves.remoteInvite(requester.domain(), roomId, requester.userId()).ifPresentOrElse(
                invite -> remoteLeaves.rejectInvite(requester, invite, reason),
                () -> rooms.leave(requester, roomId, reason));
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/forget} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/forget")
    Map<String, Object> forget(Requester requester, @PathVariable String roomId) {
        rooms.forget(requester, roomId);
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/kick} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/kick")
    Map<String, Object> kick(Requester requester, @PathVariable String roomId, @RequestBody JsonNode body) {
        rooms.kick(requester, roomId, userId(body), reason(body));
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/ban} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/ban")
    Map<String, Object> ban(Requester requester, @PathVariable String roomId, @RequestBody JsonNode body) {
        rooms.ban(requester, roomId, userId(body), reason(body));
        return Map.of();
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/unban} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/unban")
    Map<String, Object> unban(Requester requester, @PathVariable String roomId, @RequestBody JsonNode body) {
        rooms.unban(requester, roomId, userId(body), reason(body));
        return Map.of();
    }

    private static String userId(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        JsonNode userId = body.get("user_id");
        if (userId == null) {
            throw MatrixException.badJson("user_id is required");
        }
        if (!userId.isTextual()) {
            throw MatrixException.badJson("user_id must be a string");
        }
        return userId.textValue();
    }

    private static String reason(JsonNode body) {
        if (body == null || body.isMissingNode() || body.isNull()) {
            return null;
        }
        if (!body.isObject()) {
            throw MatrixException.badJson("Body must be a JSON object");
        }
        JsonNode reason = body.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw MatrixException.badJson("reason must be a string");
        }
        return reason == null || reason.isNull() ? null : reason.textValue();
    }
}

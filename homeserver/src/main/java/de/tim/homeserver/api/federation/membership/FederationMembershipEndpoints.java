package de.tim.homeserver.api.federation.membership;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.membership.InviteReceiver;
import de.tim.homeserver.federation.membership.ResidentMembershipService;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Server-server spec "Joining Rooms" (also restricted rooms), "Knocking upon a room", "Inviting to a room",
 * "Leaving Rooms (Rejecting Invites)": the receiving side.
 */
@RestController
public class FederationMembershipEndpoints {

    private final ResidentMembershipService membership;
    private final InviteReceiver invites;

    FederationMembershipEndpoints(ResidentMembershipService membership, InviteReceiver invites) {
        this.membership = membership;
        this.invites = invites;
    }

    /** {@code PUT /_matrix/federation/v2/invite/{roomId}/{eventId}} */
    @PutMapping("/_matrix/federation/v2/invite/{roomId}/{eventId}")
    Map<String, Object> invite(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String eventId, @RequestBody JsonNode body) {
        return invites.receive(domain, origin, roomId, eventId, body);
    }

    /** {@code GET /_matrix/federation/v1/make_join/{roomId}/{userId}} */
    @GetMapping("/_matrix/federation/v1/make_join/{roomId}/{userId}")
    Map<String, Object> makeJoin(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String userId, @RequestParam(name = "ver", required = false) List<String> versions) {
        return membership.template(domain, origin, roomId, userId, EventTypes.JOIN, versions == null ? List.of("1") : versions);
    }

    /** {@code PUT /_matrix/federation/v2/send_join/{roomId}/{eventId}} */
    @PutMapping("/_matrix/federation/v2/send_join/{roomId}/{eventId}")
    Map<String, Object> sendJoin(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String eventId, @RequestBody JsonNode body) {
        return membership.sendJoin(domain, origin, roomId, eventId, body);
    }

    /** {@code GET /_matrix/federation/v1/make_knock/{roomId}/{userId}} ({@code ver} is required) */
    @GetMapping("/_matrix/federation/v1/make_knock/{roomId}/{userId}")
    Map<String, Object> makeKnock(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String userId, @RequestParam(name = "ver", required = false) List<String> versions) {
        if (versions == null || versions.isEmpty()) {
            throw MatrixException.missingParam("ver is required");
        }
        return membership.template(domain, origin, roomId, userId, EventTypes.KNOCK, versions);
    }

    /** {@code PUT /_matrix/federation/v1/send_knock/{roomId}/{eventId}} */
    @PutMapping("/_matrix/federation/v1/send_knock/{roomId}/{eventId}")
    Map<String, Object> sendKnock(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String eventId, @RequestBody JsonNode body) {
        return membership.sendKnock(domain, origin, roomId, eventId, body);
    }

    /** {@code GET /_matrix/federation/v1/make_leave/{roomId}/{userId}} */
    @GetMapping("/_matrix/federation/v1/make_leave/{roomId}/{userId}")
    Map<String, Object> makeLeave(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String userId) {
        return membership.template(domain, origin, roomId, userId, EventTypes.LEAVE, null);
    }

    /** {@code PUT /_matrix/federation/v2/send_leave/{roomId}/{eventId}} */
    @PutMapping("/_matrix/federation/v2/send_leave/{roomId}/{eventId}")
    Map<String, Object> sendLeave(Domain domain, FederationOrigin origin, @PathVariable String roomId,
            @PathVariable String eventId, @RequestBody JsonNode body) {
        membership.sendLeave(domain, origin, roomId, eventId, body);
        return Map.of();
    }

    /** {@code PUT /_matrix/federation/v1/exchange_third_party_invite/{roomId}}: TI-M has no third-party invites. */
    @PutMapping("/_matrix/federation/v1/exchange_third_party_invite/{roomId}")
    Map<String, Object> exchangeThirdPartyInvite(@PathVariable String roomId) {
        throw MatrixException.forbidden("Third-party invites are not supported");
    }

    /** {@code PUT /_matrix/federation/v1/3pid/onbind}: TI-M has no third-party invites. */
    @PutMapping("/_matrix/federation/v1/3pid/onbind")
    Map<String, Object> onBind() {
        throw MatrixException.forbidden("Third-party invites are not supported");
    }
}

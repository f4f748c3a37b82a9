package de.tim.homeserver.federation.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.RestrictedJoins;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import org.springframework.stereotype.Component;

/**
 * The resident side of a restricted join over federation ({@code send_join}): a join naming a user of this
 * server in {@code join_authorised_via_users_server} is checked against the room's {@code allow} conditions
 * once more (the state may have changed since {@code make_join}) and then signed by this server, as the
 * auth rules require of the authorising user's server. The countersigned event is what the room stores,
 * what the other servers receive and what the {@code send_join} answer carries as {@code event}.
 */
@Component
class JoinAuthorisation {

    static final String AUTHORISER = "join_authorised_via_users_server";

    private final RestrictedJoins restrictedJoins;

    JoinAuthorisation(RestrictedJoins restrictedJoins) {
        this.restrictedJoins = restrictedJoins;
    }

    /**
     * The join countersigned by this server if it names one of our users as authoriser; otherwise unchanged
     * (the auth rules then decide).
     *
     * @throws de.tim.matrix.error.MatrixException with the spec's codes when the conditions are no longer met
     */
    Pdu countersign(Domain domain, Pdu join) {
        JsonNode authoriser = join.content().get(AUTHORISER);
        if (!join.membership().filter(EventTypes.JOIN::equals).isPresent() || authoriser == null || !authoriser.isTextual()
                || !UserId.isValid(authoriser.textValue()) || !domain.isLocal(authoriser.textValue())) {
            return join;
        }
        String roomId = join.roomId().value();
        restrictedJoins.authoriserForRemoteUser(domain, roomId, restrictedJoins.currentState(domain, roomId), join.sender().value());
        ObjectNode signed = EventSigning.addSignature(join.json(), join.roomVersion(), ServerName.parse(domain.serverName()),
                domain.signingKey());
        return Pdu.fromJson(signed, join.roomVersion());
    }
}

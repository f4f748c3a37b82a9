package de.tim.homeserver.federation.membership;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RemoteInviteStore;
import de.tim.homeserver.room.StoredEvent;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import org.springframework.stereotype.Service;

/**
 * Out-of-band memberships received in a {@code /send} transaction: a resident moderator rescinds the invite of a
 * local user (a kick or ban of the {@code invite} membership) or denies a local user's knock (kick or ban of the
 * {@code knock}) in a room this server is not in. The PDU cannot join the room's graph here (we hold none of it),
 * so it is accepted as the user's membership outside the graph ({@link RemoteInviteStore#storeMembership}), like
 * the rejection of an invite, if all of these hold:
 * <ul>
 * <li>an {@code m.room.member} event with membership {@code leave} or {@code ban} whose {@code state_key} is a local
 * user whose current membership here is an outstanding remote invite or knock ({@link RemoteLeaveService#remoteInvite});</li>
 * <li>format, the sender server's signature and the content hash pass as for every PDU (in the room version of the
 * invite or knock; a hash mismatch stores it redacted);</li>
 * <li>the sender belongs to the transaction's origin;</li>
 * <li>its {@code auth_events} cite the stored invite or knock, so it answers exactly that membership.</li>
 * </ul>
 * An unban (a {@code leave} of a user whose current membership here is a ban received this way) is accepted under
 * the same rules, its {@code auth_events} citing that ban; it becomes the user's membership the same way.
 * Anything else is no out-of-band membership ({@link Optional#empty()}: the PDU takes the usual way, where a room
 * this server is not in is refused). The same event received again changes nothing.
 */
@Service
public class OutOfBandMembershipReceiver {

    /** The answer for the PDU: its event id (null if it cannot be computed) and the error, null when accepted. */
    public record Outcome(String eventId, String error) {
        public boolean accepted() {
            return eventId != null && error == null;
        }
    }

    private final RemoteLeaveService leaves;
    private final FederationRoomReader reader;
    private final EventAuthorizers authorizers;
    private final RemoteInviteStore store;

    OutOfBandMembershipReceiver(RemoteLeaveService leaves, FederationRoomReader reader, EventAuthorizers authorizers,
            RemoteInviteStore store) {
        this.leaves = leaves;
        this.reader = reader;
        this.authorizers = authorizers;
        this.store = store;
    }

    /** The outcome if {@code json} is a leave or ban of a local user in a room this server is not in, else empty. */
    public Optional<Outcome> receive(Domain domain, FederationOrigin origin, ObjectNode json) {
        String roomId = json.path("room_id").asText("");
        JsonNode stateKey = json.get("state_key");
        String membership = json.path("content").path("membership").asText("");
        if (!EventTypes.MEMBER.equals(json.path("type").asText()) || stateKey == null || !stateKey.isTextual()
                || !domain.isLocal(stateKey.textValue()) || !RoomId.isValid(roomId)
                || !(EventTypes.LEAVE.equals(membership) || EventTypes.BAN.equals(membership))) {
            return Optional.empty();
        }
        String userId = stateKey.textValue();
        Optional<StoredEvent> pending = leaves.remoteInvite(domain, roomId, userId);
        if (pending.isEmpty() && EventTypes.LEAVE.equals(membership)) {
            pending = outOfBandBan(domain, roomId, userId);
        }
        if (pending.isEmpty()) {
            return repeated(domain, roomId, userId, json);
        }
        StoredEvent answered = pending.get();
        boolean unban = answered.pdu().membership().filter(EventTypes.BAN::equals).isPresent();
        RoomVersion version = answered.pdu().roomVersion();
        String eventId = eventId(json, version);
        if (eventId == null) {
            return Optional.of(new Outcome(null, "invalid event"));
        }
        PduVerification verification = authorizers.verifier(domain).verify(json.deepCopy(), version, RoomId.parse(roomId));
        if (verification.outcome() == PduVerification.Outcome.DROP) {
            return Optional.of(new Outcome(eventId, verification.reason().orElse("invalid event")));
        }
        Pdu pdu = verification.pdu().orElseThrow();
        if (!pdu.sender().domain().equals(origin.server())) {
            return Optional.of(new Outcome(eventId, "Sender does not belong to the origin"));
        }
        if (!pdu.authEvents().contains(new EventId(answered.eventId()))) {
            return Optional.of(new Outcome(eventId, unban ? "The event does not answer the user's ban"
                    : "The event does not answer the user's invite or knock"));
        }
        if (!userId.equals(pdu.stateKey().orElse(null)) || !pdu.membership()
                .filter(m -> EventTypes.LEAVE.equals(m) || (!unban && EventTypes.BAN.equals(m))).isPresent()) {
            return Optional.of(new Outcome(eventId, "invalid event"));
        }
        // checked again after the verification (which may fetch keys): an invite received meanwhile is not overwritten
        if (!reader.membership(domain, roomId, userId).map(StoredEvent::eventId).filter(answered.eventId()::equals).isPresent()) {
            return Optional.of(new Outcome(eventId, "The user's membership changed meanwhile"));
        }
        store.storeMembership(domain, pdu);
        return Optional.of(new Outcome(eventId, null));
    }

    /**
     * The user's current membership if it is a ban received here out of band (stored outside the graph of a room
     * this server is not in, the same condition as for an outstanding invite), which an unban may answer.
     */
    private Optional<StoredEvent> outOfBandBan(Domain domain, String roomId, String userId) {
        if (reader.isResident(domain, roomId) && reader.isInRoom(domain, roomId, ServerName.parse(domain.serverName()))) {
            return Optional.empty();
        }
        return reader.membership(domain, roomId, userId)
                .filter(e -> e.pdu().membership().filter(EventTypes.BAN::equals).isPresent())
                .filter(RemoteInviteStore::isOutOfGraph);
    }

    /** The same out-of-band membership again (already the user's membership here): acknowledged, nothing changes. */
    private Optional<Outcome> repeated(Domain domain, String roomId, String userId, ObjectNode json) {
        if (reader.isResident(domain, roomId)) {
            return Optional.empty();
        }
        Optional<RoomVersion> version = reader.roomVersion(domain, roomId).flatMap(RoomVersion::fromId);
        String eventId = version.map(v -> eventId(json, v)).orElse(null);
        if (eventId == null) {
            return Optional.empty();
        }
        return reader.membership(domain, roomId, userId).filter(current -> current.eventId().equals(eventId))
                .map(current -> new Outcome(eventId, null));
    }

    private static String eventId(ObjectNode json, RoomVersion version) {
        ObjectNode copy = json.deepCopy();
        if (!copy.path("signatures").isObject()) {
            copy.putObject("signatures"); // the reference hash does not cover signatures
        }
        try {
            return Pdu.fromJson(copy, version).eventId().value();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package de.tim.matrix.auth;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The authorization rules of room versions 9, 10 and 11. {@link #check} applies them against a state
 * (the state before the event, the current state, or the state built during state resolution);
 * {@link #checkAgainstAuthEvents} adds rule 2 and uses the event's own auth events as state.
 */
public final class EventAuthorizer {

    private final MembershipRules membership;

    /** @param signatures used by rule 4.2 (restricted joins must be signed by the authorising server) */
    public EventAuthorizer(SignatureChecker signatures) {
        this.membership = new MembershipRules(signatures);
    }

    /** Check 4 on receipt of a PDU: rule 2 on the cited auth events, then all rules against them. */
    public AuthResult checkAgainstAuthEvents(Pdu event, List<Pdu> authEvents, Predicate<EventId> isRejected) {
        if (EventTypes.CREATE.equals(event.type())) {
            return check(event, new AuthState(Map.of(), event.roomVersion()));
        }
        Set<StateKey> allowed = AuthEventSelection.select(event);
        Map<StateKey, Pdu> state = new HashMap<>();
        for (Pdu auth : authEvents) {
            if (!auth.roomId().equals(event.roomId())) {
                return AuthResult.reject("2: auth event " + auth.eventId() + " belongs to another room");
            }
            StateKey key = auth.stateTuple().orElse(null);
            if (key == null) {
                return AuthResult.reject("2.2: auth event " + auth.eventId() + " is not a state event");
            }
            if (state.put(key, auth) != null) {
                return AuthResult.reject("2.1: duplicate auth events for " + key);
            }
            if (!allowed.contains(key)) {
                return AuthResult.reject("2.2: auth event " + key + " is not in the auth events selection");
            }
            if (isRejected.test(auth.eventId())) {
                return AuthResult.reject("2.3: auth event " + auth.eventId() + " was rejected");
            }
        }
        if (!state.containsKey(StateKey.CREATE)) {
            return AuthResult.reject("2.4: no m.room.create among the auth events");
        }
        return check(event, new AuthState(state, event.roomVersion()));
    }

    /** Rules 1 and 3–10 against a state map of the given room version. */
    public AuthResult check(Pdu event, Map<StateKey, Pdu> state) {
        return check(event, new AuthState(state, event.roomVersion()));
    }

    /** Rules 1 and 3–10 against the given state. */
    public AuthResult check(Pdu event, AuthState state) {
        RoomVersion version = state.version();
        if (EventTypes.CREATE.equals(event.type())) {
            return checkCreate(event, version);
        }
        Pdu create = state.create().orElse(null);
        if (create == null) {
            return AuthResult.reject("2.4: no m.room.create in the state");
        }
        if (!create.roomId().equals(event.roomId())) {
            return AuthResult.reject("event and create event are in different rooms");
        }
        if (create.content().path("m.federate").isBoolean() && !create.content().get("m.federate").booleanValue()
                && !create.sender().domain().equals(event.sender().domain())) {
            return AuthResult.reject("3: room is not federated and the sender is from another server");
        }
        if (EventTypes.MEMBER.equals(event.type())) {
            return membership.check(event, state);
        }
        String sender = event.sender().value();
        if (!EventTypes.JOIN.equals(state.membership(sender))) {
            return AuthResult.reject("5: sender is not joined");
        }
        PowerLevels levels = state.powerLevels();
        long senderLevel = levels.userLevel(sender);
        if (EventTypes.THIRD_PARTY_INVITE.equals(event.type())) {
            return senderLevel >= levels.invite() ? AuthResult.allow("6: sender may invite")
                    : AuthResult.reject("6: sender's power level is below the invite level");
        }
        if (levels.eventLevel(event.type(), event.isState()) > senderLevel) {
            return AuthResult.reject("7: sender's power level is below the level required for " + event.type());
        }
        if (event.stateKey().filter(k -> k.startsWith("@") && !k.equals(sender)).isPresent()) {
            return AuthResult.reject("8: state_key starting with '@' must be the sender");
        }
        if (EventTypes.POWER_LEVELS.equals(event.type())) {
            return PowerLevelsRules.check(event, state);
        }
        return AuthResult.allow("10: allowed");
    }

    private static AuthResult checkCreate(Pdu event, RoomVersion version) {
        if (!event.prevEvents().isEmpty()) {
            return AuthResult.reject("1.1: create event has prev_events");
        }
        RoomId roomId = event.roomId();
        if (!roomId.domain().equals(event.sender().domain())) {
            return AuthResult.reject("1.2: room ID domain differs from the sender's domain");
        }
        var roomVersion = event.content().get("room_version");
        if (roomVersion != null && (!roomVersion.isTextual() || !RoomVersion.RECOGNISED.contains(roomVersion.textValue()))) {
            return AuthResult.reject("1.3: unrecognised room_version");
        }
        if (version.createHasCreator() && !event.content().has("creator")) {
            return AuthResult.reject("1.4: create event has no creator");
        }
        return AuthResult.allow("1: create event");
    }
}

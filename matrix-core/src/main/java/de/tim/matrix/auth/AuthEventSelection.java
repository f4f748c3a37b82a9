package de.tim.matrix.auth;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Auth events selection" (S-S API): the state keys whose current events a new event must cite in
 * {@code auth_events}. Room versions 9–11 all support restricted joins.
 */
public final class AuthEventSelection {

    private AuthEventSelection() {
    }

    /**
     * The state keys to cite for an event; empty for {@code m.room.create}.
     *
     * @param stateKey the state key, or {@code null} for a message event
     * @param content  the event content
     */
    public static Set<StateKey> select(String type, String stateKey, String sender, JsonNode content) {
        Set<StateKey> keys = new LinkedHashSet<>();
        if (EventTypes.CREATE.equals(type)) {
            return keys;
        }
        keys.add(StateKey.CREATE);
        keys.add(StateKey.POWER_LEVELS);
        keys.add(StateKey.member(sender));
        if (EventTypes.MEMBER.equals(type) && stateKey != null) {
            keys.add(StateKey.member(stateKey));
            String membership = content.path("membership").asText("");
            // knock too: auth rule 4.7.1 reads the join rule (as Synapse and later spec versions select it)
            if (EventTypes.JOIN.equals(membership) || EventTypes.INVITE.equals(membership) || EventTypes.KNOCK.equals(membership)) {
                keys.add(StateKey.JOIN_RULES);
            }
            JsonNode token = content.path("third_party_invite").path("signed").path("token");
            if (EventTypes.INVITE.equals(membership) && token.isTextual()) {
                keys.add(StateKey.of(EventTypes.THIRD_PARTY_INVITE, token.textValue()));
            }
            JsonNode authoriser = content.get("join_authorised_via_users_server");
            if (authoriser != null && authoriser.isTextual()) {
                keys.add(StateKey.member(authoriser.textValue()));
            }
        }
        return keys;
    }

    /** The selection for an existing event. */
    public static Set<StateKey> select(Pdu event) {
        return select(event.type(), event.stateKey().orElse(null), event.sender().value(), event.content());
    }

    /**
     * The {@code auth_events} for a new event: the IDs the selection picks from {@code state}
     * (keys the state lacks are skipped, as "if any" in the spec allows).
     */
    public static List<EventId> authEvents(String type, String stateKey, String sender, JsonNode content,
                                           Map<StateKey, EventId> state) {
        List<EventId> ids = new ArrayList<>();
        for (StateKey key : select(type, stateKey, sender, content)) {
            EventId id = state.get(key);
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Whether {@code key} is among the selection for {@code event}. */
    public static boolean isSelected(Pdu event, StateKey key) {
        return select(event).contains(key);
    }
}

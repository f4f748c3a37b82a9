package de.tim.matrix.auth;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import java.util.Map;
import java.util.Optional;

/** The room state an event is authorized against, with the lookups the rules need. */
public final class AuthState {

    private final Map<StateKey, Pdu> state;
    private final RoomVersion version;

    public AuthState(Map<StateKey, Pdu> state, RoomVersion version) {
        this.state = Map.copyOf(state);
        this.version = version;
    }

    public RoomVersion version() {
        return version;
    }

    public Optional<Pdu> get(StateKey key) {
        return Optional.ofNullable(state.get(key));
    }

    public Optional<Pdu> create() {
        return get(StateKey.CREATE);
    }

    /** The creator: {@code content.creator} in v9/v10, the create event's sender in v11. */
    public Optional<String> creator() {
        return create().map(c -> version.createHasCreator()
                ? c.content().path("creator").asText(null) : c.sender().value());
    }

    public PowerLevels powerLevels() {
        return get(StateKey.POWER_LEVELS).map(pl -> PowerLevels.of(pl.content(), version))
                .orElseGet(() -> PowerLevels.absent(creator().orElse(null), version));
    }

    /** The user's membership, {@code leave} when there is no member event. */
    public String membership(String userId) {
        return get(StateKey.member(userId)).flatMap(Pdu::membership).orElse(EventTypes.LEAVE);
    }

    /** The join rule; {@code invite} when there is no join rules event. */
    public String joinRule() {
        return get(StateKey.JOIN_RULES).map(e -> e.content().path("join_rule").asText(EventTypes.INVITE))
                .orElse(EventTypes.INVITE);
    }
}

package de.tim.matrix.event;

import java.util.Objects;

/** The key of a room state entry: {@code (event_type, state_key)}. */
public record StateKey(String type, String stateKey) implements Comparable<StateKey> {

    public StateKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(stateKey, "stateKey");
    }

    public static StateKey of(String type, String stateKey) {
        return new StateKey(type, stateKey);
    }

    /** {@code (m.room.create, "")}. */
    public static final StateKey CREATE = new StateKey(EventTypes.CREATE, "");
    /** {@code (m.room.power_levels, "")}. */
    public static final StateKey POWER_LEVELS = new StateKey(EventTypes.POWER_LEVELS, "");
    /** {@code (m.room.join_rules, "")}. */
    public static final StateKey JOIN_RULES = new StateKey(EventTypes.JOIN_RULES, "");

    /** {@code (m.room.member, userId)}. */
    public static StateKey member(String userId) {
        return new StateKey(EventTypes.MEMBER, userId);
    }

    @Override
    public int compareTo(StateKey o) {
        int c = type.compareTo(o.type);
        return c != 0 ? c : stateKey.compareTo(o.stateKey);
    }
}

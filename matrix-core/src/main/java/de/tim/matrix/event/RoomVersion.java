package de.tim.matrix.event;

import java.util.Optional;
import java.util.Set;

/**
 * The room versions this server implements, with the behaviour switches that distinguish them.
 * All use hash-based event IDs (v4+), state resolution v2, strict canonical JSON (v6+), restricted
 * joins (v8/v9) and knocking (v7).
 */
public enum RoomVersion {

    V9("9", false, true, false),
    V10("10", true, true, false),
    V11("11", true, false, true);

    /** Every room version the spec defines; rule 1.3 "recognised version" checks against this set. */
    public static final Set<String> RECOGNISED = Set.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11");

    private final String id;
    private final boolean integerPowerLevels;
    private final boolean createHasCreator;
    private final boolean v11Redactions;

    RoomVersion(String id, boolean integerPowerLevels, boolean createHasCreator, boolean v11Redactions) {
        this.id = id;
        this.integerPowerLevels = integerPowerLevels;
        this.createHasCreator = createHasCreator;
        this.v11Redactions = v11Redactions;
    }

    /** The version string as it appears in {@code m.room.create}'s {@code room_version}. */
    public String id() {
        return id;
    }

    public static Optional<RoomVersion> fromId(String id) {
        for (RoomVersion v : values()) {
            if (v.id.equals(id)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** v10+: power level values must be JSON integers; v9 still accepts integer strings. */
    public boolean integerPowerLevels() {
        return integerPowerLevels;
    }

    /** Knocking (room version 7+): the {@code knock} join rule and membership. True for 9–11. */
    public boolean supportsKnocking() {
        return true;
    }

    /** Restricted joins (room version 8+, refined in 9): {@code restricted} and {@code join_authorised_via_users_server}. */
    public boolean supportsRestrictedJoins() {
        return true;
    }

    /** The version the spec recommends for new rooms. */
    public static RoomVersion recommendedDefault() {
        return V10;
    }

    /** v10+: the {@code knock_restricted} join rule exists. */
    public boolean knockRestrictedJoinRule() {
        return this != V9;
    }

    /**
     * v9/v10: {@code m.room.create} must have {@code content.creator} and the creator is taken from it;
     * v11 removed the property and uses the create event's {@code sender}.
     */
    public boolean createHasCreator() {
        return createHasCreator;
    }

    /** v11: the redaction algorithm of v11 applies and {@code redacts} lives in the content. */
    public boolean v11Redactions() {
        return v11Redactions;
    }

    /** v11: {@code m.room.redaction} carries {@code redacts} under {@code content}, not at the top level. */
    public boolean redactsInContent() {
        return v11Redactions;
    }
}

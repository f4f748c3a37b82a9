package de.tim.matrix.event;

/** Event types and membership values the protocol core interprets. */
public final class EventTypes {

    public static final String CREATE = "m.room.create";
    public static final String MEMBER = "m.room.member";
    public static final String POWER_LEVELS = "m.room.power_levels";
    public static final String JOIN_RULES = "m.room.join_rules";
    public static final String THIRD_PARTY_INVITE = "m.room.third_party_invite";
    public static final String HISTORY_VISIBILITY = "m.room.history_visibility";
    public static final String REDACTION = "m.room.redaction";
    public static final String ALIASES = "m.room.aliases";

    /** Membership values of {@code m.room.member}. */
    public static final String JOIN = "join";
    public static final String INVITE = "invite";
    public static final String LEAVE = "leave";
    public static final String BAN = "ban";
    public static final String KNOCK = "knock";

    private EventTypes() {
    }
}

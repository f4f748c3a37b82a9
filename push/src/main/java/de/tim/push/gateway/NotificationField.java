package de.tim.push.gateway;

/**
 * Notification fields a deployment may forward to a push provider in addition to the privacy-preserving minimum
 * (A_22808). Property values are the lower-case Push Gateway API names ({@code sender_display_name}) or the
 * enum names.
 */
public enum NotificationField {
    /** the event type */
    TYPE("type"),
    /** the sender's Matrix user id */
    SENDER("sender"),
    /** the sender's display name */
    SENDER_DISPLAY_NAME("sender_display_name"),
    /** the room name */
    ROOM_NAME("room_name"),
    /** the room alias */
    ROOM_ALIAS("room_alias"),
    /** whether the user is the target of a membership event */
    USER_IS_TARGET("user_is_target"),
    /** the event content (JSON) — for encrypted rooms ciphertext, otherwise the plain message */
    CONTENT("content");

    private final String wireName;

    NotificationField(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}

package de.tim.matrix.id;

import java.util.Objects;

/** A room alias {@code #room_alias:domain} (appendix "Room Aliases"); at most 255 bytes. */
public record RoomAlias(String value, String localpart, ServerName domain) {

    public RoomAlias {
        Objects.requireNonNull(value, "value");
    }

    public static RoomAlias parse(String value) {
        int colon = Identifiers.split(value, '#', "Room alias");
        return new RoomAlias(value, value.substring(1, colon), Identifiers.domain(value, colon, "Room alias"));
    }

    public static RoomAlias of(String localpart, ServerName domain) {
        return parse("#" + localpart + ":" + domain);
    }

    @Override
    public String toString() {
        return value;
    }
}

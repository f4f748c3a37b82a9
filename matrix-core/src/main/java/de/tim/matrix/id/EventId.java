package de.tim.matrix.id;

import java.util.Objects;

/**
 * An event ID {@code $opaque_id} (appendix "Event IDs"). Room versions 4 and later use
 * {@code $} followed by the URL-safe unpadded base64 of the 32-byte reference hash (43 characters);
 * see {@link #isHashFormat()}.
 */
public record EventId(String value) implements Comparable<EventId> {

    public EventId {
        Objects.requireNonNull(value, "value");
        if (value.length() < 2 || value.charAt(0) != '$') {
            throw new IllegalArgumentException("Event ID must be '$' followed by at least one character: " + value);
        }
        Identifiers.checkLength(value, "Event ID");
    }

    public static EventId parse(String value) {
        return new EventId(value);
    }

    /** Parses an event ID that must have the room-version-4+ hash format. */
    public static EventId parseHashFormat(String value) {
        EventId id = new EventId(value);
        if (!id.isHashFormat()) {
            throw new IllegalArgumentException("Event ID is not a URL-safe base64 sha256 reference hash: " + value);
        }
        return id;
    }

    /** Whether this is {@code $} + 43 URL-safe base64 characters (the v4+ format). */
    public boolean isHashFormat() {
        return value.length() == 44 && value.substring(1).matches("[A-Za-z0-9_-]{43}");
    }

    @Override
    public int compareTo(EventId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}

package de.tim.homeserver.room;

/**
 * One entry of a room state map: the event id and, for the state the read paths need without loading
 * the event, its key value ({@code membership} of member events, {@code history_visibility},
 * {@code join_rule}); null otherwise.
 */
public record StateEntry(String eventId, String value) {
}

package de.tim.homeserver.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A parsed {@code /sync} request: the since token (null for an initial sync), the filter JSON,
 * {@code full_state} and the long-poll timeout.
 */
public record SyncRequest(SyncToken since, JsonNode filter, boolean fullState, long timeoutMs) {

    JsonNode roomFilter() {
        return filter == null ? MissingNode.getInstance() : filter.path("room");
    }

    EventFilter timeline() {
        return new EventFilter(roomFilter().path("timeline"));
    }

    EventFilter state() {
        return new EventFilter(roomFilter().path("state"));
    }

    EventFilter ephemeral() {
        return new EventFilter(roomFilter().path("ephemeral"));
    }

    EventFilter roomAccountData() {
        return new EventFilter(roomFilter().path("account_data"));
    }

    EventFilter rooms() {
        return new EventFilter(roomFilter());
    }

    EventFilter accountData() {
        return new EventFilter(filter == null ? null : filter.path("account_data"));
    }

    EventFilter presence() {
        return new EventFilter(filter == null ? null : filter.path("presence"));
    }

    /** {@code event_format} and {@code event_fields} of the filter. */
    EventFormat eventFormat() {
        return EventFormat.of(filter);
    }

    boolean includeLeave() {
        return roomFilter().path("include_leave").asBoolean(false);
    }
}

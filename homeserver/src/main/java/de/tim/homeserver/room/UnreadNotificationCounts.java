package de.tim.homeserver.room;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;

/**
 * The {@code unread_notifications} objects of joined rooms in {@code /sync} ({@code notification_count},
 * {@code highlight_count}) and, when the timeline filter asks for them, {@code unread_thread_notifications}: stored
 * counts, never an evaluation of push rules on the sync's path.
 */
public interface UnreadNotificationCounts {

    /**
     * The count fields of the rooms of one response, whose events up to {@code upTo} it returns (events after
     * {@code since} are new to the client), per room an object with {@code unread_notifications} and, if
     * {@code perThread} and a thread has unread notifications, {@code unread_thread_notifications} (then
     * {@code unread_notifications} counts the main timeline only). May wait a bounded time for the evaluation of
     * those events.
     */
    Map<String, ObjectNode> unreadNotifications(Domain domain, String userId, Collection<String> roomIds, long since, long upTo,
            boolean perThread);

    /** Rooms whose counts an earlier response gave before their evaluation finished, and which are evaluated now. */
    Set<String> recounted(Domain domain, String userId);
}

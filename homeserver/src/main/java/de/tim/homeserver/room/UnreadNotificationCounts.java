package de.tim.homeserver.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;

/** The {@code unread_notifications} object of a joined room in {@code /sync} ({@code notification_count}, {@code highlight_count}). */
public interface UnreadNotificationCounts {

    ObjectNode unreadNotifications(Domain domain, String userId, String roomId);
}

package de.tim.push.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.kafka.topics.PushNotificationRecord.Counts;
import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.PushNotificationRecord.Notification;
import org.junit.jupiter.api.Test;

/** The privacy filter (A_22808). */
class PushMessageTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Device device = new Device("app", "pk", 1L, Map.of("format", "x"), Map.of("sound", "bing"));
    private final Notification full = new Notification("$e", "!r:d", "m.room.message", "@a:d", "Alice", "Room",
            "#alias:d", true, "low", JSON.createObjectNode().put("body", "secret"), new Counts(2L, 1L), List.of(device));

    @Test
    void byDefaultOnlyWhatTheAppNeedsToFetchTheEvent() {
        PushMessage message = PushMessage.of(full, device, Set.of());
        assertThat(message.data()).containsExactly(Map.entry("event_id", "$e"), Map.entry("room_id", "!r:d"),
                Map.entry("unread", "2"), Map.entry("missed_calls", "1"), Map.entry("prio", "low"));
        assertThat(message.highPriority()).isFalse();
        assertThat(message.toString()).doesNotContain("pk");
    }

    @Test
    void fieldsOnlyWhenExplicitlyEnabled() {
        PushMessage message = PushMessage.of(full, device, Set.of(NotificationField.SENDER_DISPLAY_NAME, NotificationField.CONTENT));
        assertThat(message.data()).containsEntry("sender_display_name", "Alice")
                .containsEntry("content", "{\"body\":\"secret\"}")
                .doesNotContainKeys("sender", "room_name", "room_alias", "type");
    }

    @Test
    void countOnlyNotificationsHaveNoEventId() {
        Notification counts = new Notification(null, null, null, null, null, null, null, null, null, null,
                new Counts(0L, null), List.of(device));
        assertThat(PushMessage.of(counts, device, Set.of()).data()).containsOnlyKeys("unread", "prio");
    }
}

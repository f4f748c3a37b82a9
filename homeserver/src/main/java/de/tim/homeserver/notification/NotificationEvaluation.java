package de.tim.homeserver.notification;

import java.util.List;

import de.tim.kafka.topics.PushNotificationRecord;

/** What evaluating one event produced: the notified recipients and the push records to send. */
public record NotificationEvaluation(List<Notified> notified, List<PushNotificationRecord> records) {

    static final NotificationEvaluation EMPTY = new NotificationEvaluation(List.of(), List.of());

    /** A recipient whose rules asked for a notification. */
    public record Notified(String userId, boolean highlight) {
    }
}

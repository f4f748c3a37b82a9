package de.tim.kafka.topics;

import java.util.List;

/** The single definition of every Kafka topic. Producers and consumers refer to these constants only. */
public final class TimTopics {

    /**
     * Every room event the homeserver has persisted, published after it is durable. Key: the room id,
     * so all events of one room are in one partition in persistence order. Consumers deduplicate by
     * event id (delivery is at least once).
     */
    public static final TopicDefinition<RoomEventRecord> ROOM_EVENTS = new TopicDefinition<>(
            "room-events", "room id", RoomEventRecord.class, "/de/tim/kafka/schemas/room-event.schema.json", 12);

    /**
     * One record per (event, pusher) whose push rules asked for a notification. Key: the pushkey, so
     * notifications to one device stay in order. Consumers deduplicate by {@link PushNotificationRecord#id()}.
     */
    public static final TopicDefinition<PushNotificationRecord> PUSH_NOTIFICATIONS = new TopicDefinition<>(
            "push-notifications", "pushkey", PushNotificationRecord.class,
            "/de/tim/kafka/schemas/push-notification.schema.json", 6);

    /** Push notifications that could not be delivered within the retry bound. Same key and value as the source. */
    public static final TopicDefinition<PushNotificationRecord> PUSH_NOTIFICATIONS_DEAD_LETTER = new TopicDefinition<>(
            "push-notifications-dlt", "pushkey", PushNotificationRecord.class,
            "/de/tim/kafka/schemas/push-notification.schema.json", 1);

    /**
     * Pushkeys a push gateway answered as {@code rejected}: the homeserver of the record's domain removes the
     * pusher and stops notifying it. Key: the pushkey. Consumers are idempotent (removing a removed pusher is a no-op).
     */
    public static final TopicDefinition<RejectedPushkeyRecord> PUSHKEYS_REJECTED = new TopicDefinition<>(
            "push-rejected-pushkeys", "pushkey", RejectedPushkeyRecord.class,
            "/de/tim/kafka/schemas/rejected-pushkey.schema.json", 3);

    /**
     * Dead letters of the registration service's Camel routes: idempotent outbound calls (VZD, directory search) that
     * failed after their last redelivery, with what an operator needs to replay them and no secrets or message content
     * ({@link RouteDeadLetterRecord}). Key: the route id. Consumers (operators' tooling) deduplicate by
     * {@link RouteDeadLetterRecord#id()}.
     */
    public static final TopicDefinition<RouteDeadLetterRecord> ROUTE_DEAD_LETTERS = new TopicDefinition<>(
            "integration-routes-dlt", "route id", RouteDeadLetterRecord.class,
            "/de/tim/kafka/schemas/route-dead-letter.schema.json", 1);

    /**
     * Wake-up signals between homeserver instances: a domain's {@code to_device}, {@code device_lists},
     * {@code account_data} or {@code presence} stream advanced ({@link SyncSignalRecord}: domain, stream,
     * position, sending instance; no user ids or content). Key: the domain. Every instance reads all
     * partitions from the end without a consumer group; signals are hints, a lost one only delays a sync
     * to its re-check interval.
     */
    public static final TopicDefinition<SyncSignalRecord> SYNC_SIGNALS = new TopicDefinition<>(
            "homeserver-sync-signals", "domain", SyncSignalRecord.class, "/de/tim/kafka/schemas/sync-signal.schema.json", 3);

    public static final List<TopicDefinition<?>> ALL = List.of(ROOM_EVENTS, PUSH_NOTIFICATIONS, PUSH_NOTIFICATIONS_DEAD_LETTER,
            PUSHKEYS_REJECTED, ROUTE_DEAD_LETTERS, SYNC_SIGNALS);

    private TimTopics() {
    }
}

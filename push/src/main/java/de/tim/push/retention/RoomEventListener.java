package de.tim.push.retention;

import de.tim.kafka.topics.RoomEventRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Consumes {@code room-events} (deserialized by the topic's serde) and records room activity. */
class RoomEventListener {

    private final RoomActivityService service;

    RoomEventListener(RoomActivityService service) {
        this.service = service;
    }

    @KafkaListener(id = "retention-room-events", topics = "#{T(de.tim.kafka.topics.TimTopics).ROOM_EVENTS.name()}",
            groupId = "${tim.push.retention.group-id:tim-retention}", containerFactory = "retentionContainerFactory")
    void onRoomEvent(RoomEventRecord event) {
        if (event != null) {
            service.recordActivity(event);
        }
    }
}

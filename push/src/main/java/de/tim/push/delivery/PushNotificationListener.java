package de.tim.push.delivery;

import de.tim.kafka.topics.PushNotificationRecord;
import org.springframework.kafka.annotation.KafkaListener;

/** Consumes {@code push-notifications} (values deserialized by the topic's serde) and hands each to the service. */
class PushNotificationListener {

    private final DeliveryService service;

    PushNotificationListener(DeliveryService service) {
        this.service = service;
    }

    @KafkaListener(id = "push-delivery", topics = "#{T(de.tim.kafka.topics.TimTopics).PUSH_NOTIFICATIONS.name()}",
            groupId = "${tim.push.delivery.group-id:tim-push-delivery}", containerFactory = "pushDeliveryContainerFactory")
    void onNotification(PushNotificationRecord record) {
        service.deliver(record);
    }
}

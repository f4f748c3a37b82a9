package de.tim.homeserver.notification;

import java.util.List;
import java.util.Map;

import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.kafka.KafkaConsumerRunner;
import de.tim.homeserver.pusher.PusherService;
import de.tim.kafka.topics.RejectedPushkeyRecord;
import de.tim.kafka.topics.TimTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Deserializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code push-rejected-pushkeys} (group {@code tim.homeserver.push.rejected-group-id}) and removes
 * the rejected pushers of hosted domains. Idempotent; offsets are committed after the deletions
 * ({@link KafkaConsumerRunner}).
 */
@Component
class RejectedPushkeyListener implements SmartLifecycle {

    private final DomainRegistry registry;
    private final PusherService pushers;
    private final NotificationProperties properties;
    private final Deserializer<RejectedPushkeyRecord> reader = TimTopics.PUSHKEYS_REJECTED.valueDeserializer();
    private final KafkaConsumerRunner runner;

    RejectedPushkeyListener(DomainRegistry registry, PusherService pushers, NotificationProperties properties,
            @Value("${spring.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers) {
        this.registry = registry;
        this.pushers = pushers;
        this.properties = properties;
        this.runner = KafkaConsumerRunner.group("push-rejected-pushkeys", bootstrapServers, properties.rejectedGroupId(), Map.of(),
                List.of(TimTopics.PUSHKEYS_REJECTED), List.of(), this::handle);
    }

    boolean isReady() {
        return runner.isReady();
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            RejectedPushkeyRecord rejected = KafkaConsumerRunner.value(reader, r);
            if (rejected != null) {
                registry.byServerName(rejected.domain())
                        .ifPresent(d -> pushers.removeRejected(d, rejected.userId(), rejected.appId(), rejected.pushkey()));
            }
        }
    }

    @Override
    public void start() {
        if (properties.enabled()) {
            runner.start();
        }
    }

    @Override
    public void stop() {
        runner.stop();
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning();
    }
}

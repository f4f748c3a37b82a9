package de.tim.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.KafkaAdmin;

import de.tim.testsupport.SharedKafkaBroker;

/** Topic provisioning creates every topic on a real broker, and records travel through it with the topic serdes. */
class TopicProvisioningIntegrationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TopicProvisioningAutoConfiguration.class))
            .withPropertyValues("spring.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers(),
                    "tim.kafka.topics.partitions.room-events=3");

    @Test
    void createsEveryTopicWithConfiguredPartitions() {
        runner.run(context -> {
            context.getBean(KafkaAdmin.class).initialize();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedKafkaBroker.bootstrapServers()))) {
                Map<String, TopicDescription> topics = admin.describeTopics(
                        TimTopics.ALL.stream().map(TopicDefinition::name).toList()).allTopicNames().get();
                assertThat(topics).containsOnlyKeys(TimTopics.ALL.stream().map(TopicDefinition::name).toList());
                assertThat(topics.get(TimTopics.ROOM_EVENTS.name()).partitions()).hasSize(3);
                assertThat(topics.get(TimTopics.PUSH_NOTIFICATIONS.name()).partitions())
                        .hasSize(TimTopics.PUSH_NOTIFICATIONS.defaultPartitions());
            }
        });
    }

    @Test
    void provisioningCanBeSwitchedOff() {
        runner.withPropertyValues("tim.kafka.topics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(KafkaAdmin.NewTopics.class));
    }

    @Test
    void aRoomEventTravelsThroughTheBrokerKeyedByRoom() {
        runner.run(context -> {
            context.getBean(KafkaAdmin.class).initialize();
            RoomEventRecord sent = TopicContractTests.roomEvent();
            String bootstrap = SharedKafkaBroker.bootstrapServers();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), TimTopics.ROOM_EVENTS.valueSerializer())) {
                producer.send(new ProducerRecord<>(TimTopics.ROOM_EVENTS.name(), sent.key(), sent)).get();
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), TimTopics.ROOM_EVENTS.valueDeserializer())) {
                consumer.subscribe(List.of(TimTopics.ROOM_EVENTS.name()));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                boolean found = false;
                while (!found && System.nanoTime() < deadline) {
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.value().equals(sent)) {
                            assertThat(record.key()).isEqualTo(sent.roomId());
                            found = true;
                        }
                    }
                }
                assertThat(found).as("record consumed").isTrue();
            }
        });
    }
}

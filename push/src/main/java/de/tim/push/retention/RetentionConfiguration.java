package de.tim.push.retention;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.push.config.PushMongoProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.util.backoff.ExponentialBackOff;

/** The retention worker: room activity from Kafka, policies, and the scheduled purge. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = RetentionProperties.PREFIX, name = "enabled", matchIfMissing = true)
class RetentionConfiguration {

    @Bean
    RetentionPolicyService retentionPolicyService(RetentionProperties properties, MongoClient mongo,
                                                  PushMongoProperties mongoProperties, Clock clock) {
        return new RetentionPolicyService(properties, new RetentionPolicyRepository(db(mongo, mongoProperties)), clock);
    }

    @Bean
    RoomActivityRepository roomActivityRepository(MongoClient mongo, PushMongoProperties mongoProperties) {
        return new RoomActivityRepository(db(mongo, mongoProperties));
    }

    @Bean
    RoomActivityService roomActivityService(RoomActivityRepository repository, Clock clock) {
        return new RoomActivityService(repository, clock);
    }

    @Bean
    RetentionPurgeService retentionPurgeService(RetentionProperties properties, RetentionPolicyService policies,
                                                RoomActivityRepository activity, MongoClient mongo,
                                                PushMongoProperties mongoProperties, ObjectMapper json, Clock clock,
                                                MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.adminRequestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new RetentionPurgeService(properties, policies, activity,
                new RetentionAuditRepository(db(mongo, mongoProperties)),
                new HomeserverAdminClient(http, json, properties.adminRequestTimeout()), clock, meters);
    }

    @Bean
    RoomEventListener roomEventListener(RoomActivityService service) {
        return new RoomEventListener(service);
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, RoomEventRecord> retentionContainerFactory(KafkaProperties kafka,
                                                                                            MeterRegistry meters) {
        Map<String, Object> props = new LinkedHashMap<>(kafka.buildConsumerProperties(null));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        DefaultKafkaConsumerFactory<String, RoomEventRecord> consumers = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(), new ErrorHandlingDeserializer<>(TimTopics.ROOM_EVENTS.valueDeserializer()));
        consumers.addListener(new MicrometerConsumerListener<>(meters));
        ConcurrentKafkaListenerContainerFactory<String, RoomEventRecord> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        // MongoDB outages are retried without end (the record is not committed); unreadable records are skipped
        ExponentialBackOff backOff = new ExponentialBackOff(500, 2.0);
        backOff.setMaxInterval(30_000);
        factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        return factory;
    }

    @Bean
    @ConditionalOnProperty(prefix = RetentionProperties.PREFIX, name = "schedule-enabled", matchIfMissing = true)
    RetentionScheduler retentionScheduler(RetentionPurgeService service) {
        return new RetentionScheduler(service);
    }

    private static MongoDatabase db(MongoClient mongo, PushMongoProperties properties) {
        return mongo.getDatabase(properties.database());
    }

    /** Runs the purge periodically ({@code tim.push.retention.purge-interval}). */
    static final class RetentionScheduler {
        private final RetentionPurgeService service;

        RetentionScheduler(RetentionPurgeService service) {
            this.service = service;
        }

        @Scheduled(fixedDelayString = "${tim.push.retention.purge-interval:1h}", initialDelayString = "${tim.push.retention.purge-interval:1h}")
        void run() {
            service.purgeInactiveRooms();
        }
    }
}

package de.tim.push.delivery;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import de.tim.kafka.topics.JsonRecordSerializer;
import de.tim.kafka.topics.PushNotificationRecord;
import de.tim.kafka.topics.RejectedPushkeyRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.push.config.PushMongoProperties;
import de.tim.push.delivery.DeliveryExceptions.PermanentDeliveryException;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The delivery worker's Kafka wiring: a record-acknowledging container (offsets are committed only after a record
 * is delivered or dead-lettered), blocking retries with exponential back-off for transient failures, and the
 * dead-letter topic {@code push-notifications-dlt} for permanent failures and exhausted retries.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = DeliveryProperties.PREFIX, name = "enabled", matchIfMissing = true)
class DeliveryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConfiguration.class);

    @Bean
    DefaultKafkaProducerFactory<String, Object> pushDeliveryProducerFactory(KafkaProperties kafka, MeterRegistry meters) {
        Map<String, Object> props = new LinkedHashMap<>(kafka.buildProducerProperties(null));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        DefaultKafkaProducerFactory<String, Object> factory = new DefaultKafkaProducerFactory<>(props,
                new StringSerializer(), new JsonRecordSerializer<>());
        factory.addListener(new MicrometerProducerListener<>(meters));
        return factory;
    }

    @Bean
    KafkaTemplate<String, Object> pushDeliveryTemplate(DefaultKafkaProducerFactory<String, Object> pushDeliveryProducerFactory) {
        return new KafkaTemplate<>(pushDeliveryProducerFactory);
    }

    @Bean
    KafkaTemplate<String, byte[]> pushDeliveryRawTemplate(KafkaProperties kafka) {
        Map<String, Object> props = new LinkedHashMap<>(kafka.buildProducerProperties(null));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(props, new StringSerializer(), new ByteArraySerializer()));
    }

    @Bean
    DeliveryService deliveryService(DeliveryProperties properties, ObjectMapper json, MongoClient mongo,
                                    PushMongoProperties mongoProperties, KafkaTemplate<String, Object> pushDeliveryTemplate,
                                    Clock clock, MeterRegistry meters) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        @SuppressWarnings({"unchecked", "rawtypes"})
        KafkaOperations<String, RejectedPushkeyRecord> rejected = (KafkaOperations) pushDeliveryTemplate;
        return new DeliveryService(properties, new GatewayClient(http, json, properties.requestTimeout()),
                new DeliveredNotificationRepository(mongo.getDatabase(mongoProperties.database())), rejected, clock, meters);
    }

    @Bean
    PushNotificationListener pushNotificationListener(DeliveryService service) {
        return new PushNotificationListener(service);
    }

    @Bean
    DefaultErrorHandler pushDeliveryErrorHandler(DeliveryProperties properties, KafkaTemplate<String, Object> pushDeliveryTemplate,
                                                 KafkaTemplate<String, byte[]> pushDeliveryRawTemplate, MeterRegistry meters) {
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, pushDeliveryRawTemplate); // values that could not be deserialized
        templates.put(Object.class, pushDeliveryTemplate);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(templates,
                (record, e) -> new TopicPartition(TimTopics.PUSH_NOTIFICATIONS_DEAD_LETTER.name(), -1));
        ExponentialBackOff backOff = new ExponentialBackOff(properties.initialInterval().toMillis(), properties.multiplier());
        backOff.setMaxInterval(properties.maxInterval().toMillis());
        backOff.setMaxElapsedTime(properties.maxElapsedTime().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(PermanentDeliveryException.class);
        handler.setCommitRecovered(true);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
                if (retryable(ex)) {
                    meters.counter("tim.push.delivery.retried").increment();
                }
                log.info("Push delivery attempt {} failed: {}", deliveryAttempt, rootMessage(ex));
            }

            @Override
            public void recovered(ConsumerRecord<?, ?> record, Exception ex) {
                meters.counter("tim.push.delivery.dead_lettered").increment();
                log.warn("Push notification moved to {}: {}", TimTopics.PUSH_NOTIFICATIONS_DEAD_LETTER.name(), rootMessage(ex));
            }
        });
        return handler;
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, PushNotificationRecord> pushDeliveryContainerFactory(
            KafkaProperties kafka, DeliveryProperties properties, DefaultErrorHandler pushDeliveryErrorHandler,
            MeterRegistry meters) {
        Map<String, Object> props = new LinkedHashMap<>(kafka.buildConsumerProperties(null));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        DefaultKafkaConsumerFactory<String, PushNotificationRecord> consumers = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(), new ErrorHandlingDeserializer<>(TimTopics.PUSH_NOTIFICATIONS.valueDeserializer()));
        consumers.addListener(new MicrometerConsumerListener<>(meters)); // includes records-lag metrics
        ConcurrentKafkaListenerContainerFactory<String, PushNotificationRecord> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setConcurrency(properties.concurrency());
        factory.setCommonErrorHandler(pushDeliveryErrorHandler);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.RECORD);
        factory.getContainerProperties().setSyncCommits(true);
        return factory;
    }

    @Bean
    DeliveryExpiry deliveryExpiry(DeliveryService service) {
        return new DeliveryExpiry(service);
    }

    static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PermanentDeliveryException || t instanceof DeserializationException) {
                return false;
            }
        }
        return true;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t instanceof DeliveryExceptions.TransientDeliveryException
                || t instanceof PermanentDeliveryException ? ": " + t.getMessage() : "");
    }

    /** Removes expired delivery entries (no TTL indexes, see CONTRIBUTING.md). */
    static final class DeliveryExpiry {
        private final DeliveryService service;

        DeliveryExpiry(DeliveryService service) {
            this.service = service;
        }

        @Scheduled(fixedDelayString = "${tim.push.delivery.expiry-interval:10m}", initialDelayString = "${tim.push.delivery.expiry-interval:10m}")
        void expire() {
            service.expire();
        }
    }
}

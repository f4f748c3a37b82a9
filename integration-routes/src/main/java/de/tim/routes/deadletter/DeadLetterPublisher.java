package de.tim.routes.deadletter;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.stereotype.Component;

import de.tim.kafka.topics.RouteDeadLetterRecord;
import de.tim.kafka.topics.TimTopics;

/**
 * Publishes dead letters to {@link TimTopics#ROUTE_DEAD_LETTERS} (key: route id). Publishing never fails the caller:
 * the exhausted call already failed and its caller reports that; a dead letter that cannot be published within
 * {@code max-block} is logged (route id and exchange id only) as lost.
 */
@Component
public class DeadLetterPublisher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final DeadLetterProperties properties;
    private final KafkaProperties kafka;
    private final Clock clock = Clock.systemUTC();
    private volatile KafkaProducer<String, RouteDeadLetterRecord> producer;

    public DeadLetterPublisher(DeadLetterProperties properties, KafkaProperties kafka) {
        this.properties = properties;
        this.kafka = kafka;
    }

    /** Called by the dead-letter route with the exhausted exchange. */
    public void publish(Exchange exchange) {
        RouteDeadLetterRecord record = DeadLetterRecords.of(exchange, properties.replayQueryParameters(), clock.millis());
        log.warn("ALERT call of route {} exhausted ({}{}), dead letter {}", record.routeId(), record.errorType(),
                record.httpStatus() == null ? "" : " " + record.httpStatus(), record.id());
        if (!properties.enabled()) {
            return;
        }
        try {
            producer().send(new ProducerRecord<>(TimTopics.ROUTE_DEAD_LETTERS.name(), record.key(), record), (metadata, e) -> {
                if (e != null) {
                    log.warn("dead letter {} of route {} lost: {}", record.id(), record.routeId(), e.getClass().getSimpleName());
                }
            });
        } catch (RuntimeException e) {
            log.warn("dead letter {} of route {} lost: {}", record.id(), record.routeId(), e.getClass().getSimpleName());
        }
    }

    private KafkaProducer<String, RouteDeadLetterRecord> producer() {
        KafkaProducer<String, RouteDeadLetterRecord> current = producer;
        if (current == null) {
            synchronized (this) {
                current = producer;
                if (current == null) {
                    Map<String, Object> config = kafka.buildProducerProperties(null);
                    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, properties.maxBlock().toMillis());
                    config.put(ProducerConfig.ACKS_CONFIG, "all");
                    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
                    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
                    current = new KafkaProducer<>(config, new StringSerializer(), TimTopics.ROUTE_DEAD_LETTERS.valueSerializer());
                    producer = current;
                }
            }
        }
        return current;
    }

    @Override
    public void destroy() {
        KafkaProducer<String, RouteDeadLetterRecord> current = producer;
        if (current != null) {
            current.close(java.time.Duration.ofSeconds(5));
        }
    }
}

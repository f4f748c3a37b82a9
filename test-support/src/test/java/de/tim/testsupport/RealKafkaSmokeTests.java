package de.tim.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** Smoke test against a real Kafka (KRaft) broker: runs where Docker exists, skips cleanly elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class RealKafkaSmokeTests {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:3.9.1");

    @Test
    void producesAndConsumesThroughARealBroker() throws Exception {
        assertThat(KafkaRoundTrip.run(KAFKA.getBootstrapServers())).isEqualTo("hello");
    }
}

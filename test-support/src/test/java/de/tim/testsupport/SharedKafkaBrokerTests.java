package de.tim.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedKafkaBrokerTests {

    @Test
    void sharedBrokerProducesAndConsumes() throws Exception {
        assertThat(KafkaRoundTrip.run(SharedKafkaBroker.bootstrapServers())).isEqualTo("hello");
        assertThat(SharedKafkaBroker.bootstrapServers()).as("one broker per JVM").isEqualTo(SharedKafkaBroker.bootstrapServers());
    }
}

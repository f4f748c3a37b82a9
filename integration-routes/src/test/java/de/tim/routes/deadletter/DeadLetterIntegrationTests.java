package de.tim.routes.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.kafka.topics.RouteDeadLetterRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;
import de.tim.testsupport.SharedKafkaBroker;

/**
 * With the simulated VZD faulted through its operator controls, an idempotent call is redelivered, then its dead letter
 * lands on {@code integration-routes-dlt} (without the MXID, tokens or bodies) while the caller still gets its clear
 * error state; a non-transient 4xx produces no dead letter.
 */
class DeadLetterIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(TimTopics.ROUTE_DEAD_LETTERS.name()));
        return consumer;
    }

    @Test
    void anExhaustedWhereIsBecomesADeadLetterAndTheCallerStillGets503() throws Exception {
        String invitee = "@dlt-" + UUID.randomUUID().toString().substring(0, 8) + ":praxis-a.tim.local";
        Simulators.shared().faultViaControl("/tim-provider-services/localization", 503, 0);
        HttpResponse<String> response;
        try {
            response = get("/internal/v1/invite-permission?inviter=%40a%3Aklinik-b.tim.local&invitee="
                    + java.net.URLEncoder.encode(invitee, StandardCharsets.UTF_8), GATEWAY_TOKEN);
        } finally {
            Simulators.shared().clearFault("/tim-provider-services/localization");
        }
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("VZD_UNAVAILABLE");

        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(r -> "vzd-where-is".equals(r.key()));
            });
        }
        ConsumerRecord<String, byte[]> letter = seen.stream().filter(r -> "vzd-where-is".equals(r.key())).reduce((a, b) -> b).orElseThrow();
        String raw = new String(letter.value(), StandardCharsets.UTF_8);
        RouteDeadLetterRecord record = TimTopics.ROUTE_DEAD_LETTERS.valueDeserializer().deserialize(letter.topic(), letter.value());
        assertThat(record.service()).isEqualTo("integration-routes");
        assertThat(record.method()).isEqualTo("GET");
        assertThat(record.path()).isEqualTo("/localization");
        assertThat(record.httpStatus()).isEqualTo(503);
        assertThat(record.attempts()).isEqualTo(3); // first try + tim.routes.vzd.max-redeliveries (2 in tests)
        assertThat(record.queryRedacted()).isTrue();
        assertThat(raw).doesNotContain(invitee.substring(1, invitee.indexOf(':')), "Bearer", "eyJ");
        JsonNode json = JSON.readTree(raw);
        assertThat(json.has("query")).isFalse();
    }

    @Test
    void aNonTransientClientErrorIsNoDeadLetter() throws Exception {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            // a 4xx is not redelivered and not dead-lettered (nothing to replay)
            Simulators.shared().faultViaControl("/tim-provider-services/localization", 400, 0);
            try {
                assertThat(permission("@four-" + UUID.randomUUID().toString().substring(0, 8) + ":praxis-a.tim.local")).isEqualTo(503);
            } finally {
                Simulators.shared().clearFault("/tim-provider-services/localization");
            }
            // a transient failure afterwards: its dead letter marks that everything sent before has arrived
            Simulators.shared().faultViaControl("/tim-provider-services/localization", 502, 0);
            try {
                assertThat(permission("@marker-" + UUID.randomUUID().toString().substring(0, 8) + ":praxis-a.tim.local")).isEqualTo(503);
            } finally {
                Simulators.shared().clearFault("/tim-provider-services/localization");
            }
            List<RouteDeadLetterRecord> letters = new ArrayList<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> letters.add(
                        TimTopics.ROUTE_DEAD_LETTERS.valueDeserializer().deserialize(r.topic(), r.value())));
                return letters.stream().anyMatch(l -> Integer.valueOf(502).equals(l.httpStatus()));
            });
            assertThat(letters).noneMatch(l -> Integer.valueOf(400).equals(l.httpStatus()));
        }
    }

    private int permission(String invitee) {
        return get("/internal/v1/invite-permission?inviter=%40a%3Aklinik-b.tim.local&invitee="
                + java.net.URLEncoder.encode(invitee, StandardCharsets.UTF_8), GATEWAY_TOKEN).statusCode();
    }
}

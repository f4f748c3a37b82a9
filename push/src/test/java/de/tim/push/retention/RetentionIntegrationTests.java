package de.tim.push.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.kafka.topics.TimTopics;
import de.tim.testsupport.MongoWireServers;
import de.tim.testsupport.SharedKafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Retention end to end: room events from Kafka become room activity; the purge deletes through the (recording)
 * homeserver admin API; the Org-Admin's opt-out through the policy API is honoured. Time is a controllable clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("retention-test")
class RetentionIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final String DOMAIN = "org-" + UUID.randomUUID().toString().substring(0, 8) + ".tim.local";
    private static final RecordingAdminServer admin = new RecordingAdminServer();

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(START);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", SharedKafkaBroker::bootstrapServers);
        registry.add("spring.data.mongodb.uri", () -> MongoWireServers.shared().connectionString());
        registry.add("tim.push.mongo.database", () -> MongoWireServers.uniqueDatabaseName("retention_it"));
        registry.add("tim.push.retention.group-id", () -> "tim-retention-" + UUID.randomUUID());
        registry.add("tim.push.retention.domains.[" + DOMAIN + "].admin-base-url", () -> admin.baseUrl().toString());
        registry.add("tim.push.retention.domains.[" + DOMAIN + "].admin-token", () -> "hs-admin-token");
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    Clock injectedClock;

    @Autowired
    RoomActivityRepository rooms;

    @Autowired
    RetentionPurgeService purge;

    private final HttpClient http = HttpClient.newHttpClient();

    private static void publish(String roomId, Instant at) throws Exception {
        var event = new RoomEventRecord(DOMAIN, roomId, "$" + UUID.randomUUID(), "m.room.message", null, "@a:" + DOMAIN,
                at.toEpochMilli(), 1, false, JSON.createObjectNode());
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafkaBroker.bootstrapServers()), new StringSerializer(), TimTopics.ROOM_EVENTS.valueSerializer())) {
            producer.send(new ProducerRecord<>(TimTopics.ROOM_EVENTS.name(), event.key(), event)).get();
        }
    }

    private HttpResponse<String> policy(String method, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/_tim/retention/v1/policies/" + DOMAIN))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String errcode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("errcode").asText();
    }

    @Test
    void roomEventsDriveThePurgeAndTheOrgAdminCanOptOut() throws Exception {
        assertThat(injectedClock).isSameAs(clock);
        String old = "!old:" + DOMAIN;
        String recent = "!recent:" + DOMAIN;
        publish(old, START.atOffset(ZoneOffset.UTC).minus(Period.ofMonths(7)).toInstant());
        publish(recent, START.minus(Duration.ofDays(1)));
        await().atMost(Duration.ofSeconds(60)).until(() -> rooms.isTracked(DOMAIN, old) && rooms.isTracked(DOMAIN, recent));

        purge.purgeInactiveRooms();
        assertThat(admin.calls()).extracting(RecordingAdminServer.Call::roomId).containsExactly(old);
        assertThat(admin.calls().getFirst().authorization()).isEqualTo("Bearer hs-admin-token");

        // the Org-Admin opts out through the policy API
        assertThat(policy("PUT", null, "{}").statusCode()).isEqualTo(401);
        assertThat(errcode(policy("PUT", "wrong", "{}"))).isEqualTo("M_UNKNOWN_TOKEN");
        HttpResponse<String> bad = policy("PUT", "portal-secret", "{\"enabled\":true,\"inactivity_period\":\"six months\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(errcode(bad)).isEqualTo("M_BAD_JSON");
        assertThat(errcode(policy("PUT", "portal-secret", "nope"))).isEqualTo("M_NOT_JSON");
        HttpResponse<String> optOut = policy("PUT", "portal-secret", "{\"enabled\":false,\"inactivity_period\":\"P3M\"}");
        assertThat(optOut.statusCode()).isEqualTo(200);
        var view = JSON.readTree(policy("GET", "portal-secret", null).body());
        assertThat(view.path("enabled").asBoolean()).isFalse();
        assertThat(view.path("inactivity_period").asText()).isEqualTo("P3M");
        assertThat(view.path("source").asText()).isEqualTo("org-admin");

        clock.advance(Duration.ofDays(365));
        purge.purgeInactiveRooms();
        assertThat(admin.calls()).hasSize(1);

        // and opts in again with the configured default
        assertThat(JSON.readTree(policy("DELETE", "portal-secret", null).body()).path("source").asText()).isEqualTo("default");
        purge.purgeInactiveRooms();
        assertThat(admin.calls()).extracting(RecordingAdminServer.Call::roomId).containsExactly(old, recent);
    }
}

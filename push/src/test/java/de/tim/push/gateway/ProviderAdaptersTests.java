package de.tim.push.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.kafka.topics.PushNotificationRecord.Counts;
import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.PushNotificationRecord.Notification;
import de.tim.push.gateway.ProviderOutcome.Kind;
import de.tim.push.sink.ProviderSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FCM HTTP v1, APNs and webhook adapters against the in-test provider sink, without Spring. */
class ProviderAdaptersTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ProviderSink sink;
    private static PushProviders providers;

    @BeforeAll
    static void start() {
        sink = new ProviderSink().start();
        var fcm = new PushGatewayProperties.App(PushGatewayProperties.ProviderType.FCM, null,
                new PushGatewayProperties.Fcm(null, sink.baseUrl(), null, null, sink.serviceAccountJson()), null, null);
        var apns = new PushGatewayProperties.App(PushGatewayProperties.ProviderType.APNS, null, null,
                new PushGatewayProperties.Apns(sink.baseUrl(), ProviderSink.TEAM_ID, ProviderSink.KEY_ID, null,
                        sink.apnsPrivateKeyPem(), ProviderSink.TOPIC, null, null), null);
        var webhook = new PushGatewayProperties.App(PushGatewayProperties.ProviderType.WEBHOOK, null, null, null,
                new PushGatewayProperties.Webhook(URI.create(sink.baseUrl() + "/hook"), "hook-secret"));
        var properties = new PushGatewayProperties(true, Map.of("fcm.app", fcm, "apns.app", apns, "hook.app", webhook),
                Duration.ofSeconds(5), null, null, null, null);
        providers = new PushProviders(properties, HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build(), JSON,
                Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    private static PushMessage message(String appId, String pushkey) {
        var device = new Device(appId, pushkey, null, Map.of(), Map.of());
        var notification = new Notification("$ev-" + pushkey, "!room:praxis-a.tim.local", "m.room.message",
                "@alice:praxis-a.tim.local", "Alice", "Secret room", null, null, "high",
                JSON.createObjectNode().put("body", "very secret"), new Counts(4L, null), List.of(device));
        return PushMessage.of(notification, device, Set.of());
    }

    private static ProviderOutcome send(String appId, String pushkey) {
        return providers.forApp(appId).orElseThrow().send(message(appId, pushkey));
    }

    @Test
    void fcmDeliversADataOnlyMessageWithTheMinimumFields() {
        assertThat(send("fcm.app", "fcm-ok-1").kind()).isEqualTo(Kind.DELIVERED);
        assertThat(send("fcm.app", "fcm-ok-2").kind()).isEqualTo(Kind.DELIVERED);

        var message = sink.receivedFor("fcm-ok-1").getFirst().body().path("message");
        assertThat(message.has("notification")).as("no display notification through Google").isFalse();
        assertThat(message.path("data").properties()).extracting(Map.Entry::getKey)
                .containsExactly("event_id", "room_id", "unread", "prio");
        assertThat(message.path("data").path("unread").asText()).isEqualTo("4");
        assertThat(message.toString()).doesNotContain("very secret", "Alice", "Secret room", "@alice");
        assertThat(message.path("android").path("priority").asText()).isEqualTo("high");
        assertThat(sink.tokenRequests()).as("access token cached").isEqualTo(1);
    }

    @Test
    void fcmUnregisteredAndInvalidTokensAreRejected() {
        sink.unregister("fcm-gone");
        sink.markInvalid("fcm-bad");
        assertThat(send("fcm.app", "fcm-gone")).isEqualTo(ProviderOutcome.rejected("fcm:404:UNREGISTERED"));
        assertThat(send("fcm.app", "fcm-bad")).isEqualTo(ProviderOutcome.rejected("fcm:400:INVALID_ARGUMENT"));
    }

    @Test
    void fcmTransientErrorsAreRetriableAndNotRejections() {
        sink.failNext("fcm-flaky", 3, 503);
        assertThat(send("fcm.app", "fcm-flaky").kind()).isEqualTo(Kind.TRANSIENT);
        sink.failNext("fcm-flaky", 1, 500);
        assertThat(send("fcm.app", "fcm-flaky").kind()).isEqualTo(Kind.TRANSIENT);
        sink.failNext("fcm-flaky", 1, 429);
        assertThat(send("fcm.app", "fcm-flaky").kind()).isEqualTo(Kind.TRANSIENT);
        sink.failNext("fcm-flaky", 0, 503);
        assertThat(send("fcm.app", "fcm-flaky").kind()).isEqualTo(Kind.DELIVERED);
        assertThat(sink.receivedFor("fcm-flaky")).hasSize(1);
    }

    @Test
    void apnsDeliversANeutralMutableAlertWithTheMinimumFields() {
        assertThat(send("apns.app", "apns-ok")).isEqualTo(ProviderOutcome.delivered());
        var push = sink.receivedFor("apns-ok").getFirst();
        assertThat(push.headers()).containsEntry("apns-topic", ProviderSink.TOPIC)
                .containsEntry("apns-push-type", "alert").containsEntry("apns-priority", "10").containsKey("apns-id");
        assertThat(push.body().path("aps").path("mutable-content").asInt()).isEqualTo(1);
        assertThat(push.body().path("aps").path("badge").asInt()).isEqualTo(4);
        assertThat(push.body().path("event_id").asText()).isEqualTo("$ev-apns-ok");
        assertThat(push.body().toString()).doesNotContain("very secret", "Alice", "Secret room", "@alice");
    }

    @Test
    void apnsUnregisteredAndBadTokensAreRejected() {
        sink.unregister("apns-gone");
        sink.markInvalid("apns-bad");
        assertThat(send("apns.app", "apns-gone")).isEqualTo(ProviderOutcome.rejected("apns:410:Unregistered"));
        assertThat(send("apns.app", "apns-bad")).isEqualTo(ProviderOutcome.rejected("apns:400:BadDeviceToken"));
    }

    @Test
    void apnsTransientErrorsAreRetriable() {
        for (int status : new int[] {503, 500, 429}) {
            sink.failNext("apns-flaky", 1, status);
            assertThat(send("apns.app", "apns-flaky").kind()).as("status %d", status).isEqualTo(Kind.TRANSIENT);
        }
        assertThat(send("apns.app", "apns-flaky").kind()).isEqualTo(Kind.DELIVERED);
    }

    @Test
    void webhookDeliversRejectsAndRetries() {
        assertThat(send("hook.app", "hook-1")).isEqualTo(ProviderOutcome.delivered());
        assertThat(sink.receivedFor("hook-1").getFirst().body().path("data").properties()).extracting(Map.Entry::getKey)
                .containsExactly("event_id", "room_id", "unread", "prio");
        sink.unregister("hook-gone");
        assertThat(send("hook.app", "hook-gone")).isEqualTo(ProviderOutcome.rejected("webhook:410"));
        sink.failNext("hook-flaky", 1, 503);
        assertThat(send("hook.app", "hook-flaky").kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void anUnreachableProviderIsTransient() {
        var fcm = new PushGatewayProperties.App(PushGatewayProperties.ProviderType.FCM, null,
                new PushGatewayProperties.Fcm(null, URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1/token"),
                        null, sink.serviceAccountJson()), null, null);
        var down = new PushProviders(new PushGatewayProperties(true, Map.of("x", fcm), Duration.ofSeconds(2), null, null, null, null),
                HttpClient.newHttpClient(), JSON, Clock.systemUTC());
        assertThat(down.forApp("x").orElseThrow().send(message("x", "k")).kind()).isEqualTo(Kind.TRANSIENT);
    }
}

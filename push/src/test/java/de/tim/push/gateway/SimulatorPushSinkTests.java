package de.tim.push.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.kafka.topics.PushNotificationRecord.Counts;
import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.PushNotificationRecord.Notification;
import de.tim.push.gateway.ProviderOutcome.Kind;
import de.tim.push.sink.ProviderSink;
import de.tim.simulators.push.ApnsController;
import de.tim.simulators.push.FcmController;
import de.tim.simulators.push.PushControlController;
import de.tim.simulators.push.PushProperties;
import de.tim.simulators.push.PushSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The FCM and APNs adapters against the simulators' push-provider sink ({@code ti-simulators},
 * {@code de.tim.simulators.push}): its controllers run in-process on a random port, driven through its control API.
 * The sink has no OAuth token endpoint, so the FCM access token comes from the test's {@link ProviderSink}.
 */
class SimulatorPushSinkTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ConfigurableApplicationContext simulator;
    private static ProviderSink oauth;
    private static URI simulatorUrl;
    private static PushProviders providers;
    private static final HttpClient http = HttpClient.newHttpClient();

    /**
     * Only the push sink of the simulators, without the rest of their application. A plain {@code @Configuration}
     * (not {@code @SpringBootConfiguration}, which {@code @SpringBootTest}s of this package would pick up).
     */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
            WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class})
    @EnableConfigurationProperties(PushProperties.class)
    @Import({PushSink.class, FcmController.class, ApnsController.class, PushControlController.class})
    static class SimulatorPushSink {
    }

    @BeforeAll
    static void start() {
        simulator = new SpringApplicationBuilder(SimulatorPushSink.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.port=0", "spring.config.name=simulator-push-sink", "spring.main.banner-mode=off",
                        "server.http2.enabled=true", "tim.simulators.push.timeout-delay=2s")
                .run();
        simulatorUrl = URI.create("http://127.0.0.1:"
                + ((ServletWebServerApplicationContext) simulator).getWebServer().getPort());
        oauth = new ProviderSink().start();
        var fcm = new PushGatewayProperties.App(PushGatewayProperties.ProviderType.FCM, null,
                new PushGatewayProperties.Fcm("tim-sim", simulatorUrl, oauth.tokenUri(), null, oauth.serviceAccountJson()),
                null, null);
        var apns = new PushGatewayProperties.App(PushGatewayProperties.ProviderType.APNS, null, null,
                new PushGatewayProperties.Apns(simulatorUrl, ProviderSink.TEAM_ID, ProviderSink.KEY_ID, null,
                        oauth.apnsPrivateKeyPem(), "de.tim.client", null, null), null);
        providers = new PushProviders(new PushGatewayProperties(true, Map.of("fcm", fcm, "apns", apns),
                Duration.ofMillis(1500), null, null, null, null),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build(), JSON, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        simulator.close();
        oauth.close();
    }

    private static void behave(String token, String behaviour) throws Exception {
        int status = http.send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/control/push/tokens/" + token + "?behaviour=" + behaviour))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(204);
    }

    private static JsonNode received(String token) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(simulatorUrl + "/control/push/received?token=" + token))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static ProviderOutcome send(String appId, String token) {
        Device device = new Device(appId, token, null, Map.of(), Map.of());
        Notification n = new Notification("$ev-" + token, "!room:praxis-a.tim.local", "m.room.message",
                "@alice:praxis-a.tim.local", "Alice", "Befund", null, null, "high",
                JSON.createObjectNode().put("body", "Laborwert kritisch"), new Counts(3L, null), List.of(device));
        return providers.forApp(appId).orElseThrow().send(PushMessage.of(n, device, Set.of()));
    }

    private static String hexToken() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void fcmSuccessInvalidTokenAndTransientFailures() throws Exception {
        String token = "fcm-" + UUID.randomUUID();
        assertThat(send("fcm", token)).isEqualTo(ProviderOutcome.delivered());
        JsonNode push = received(token).get(0);
        assertThat(push.at("/body/message/data/event_id").asText()).isEqualTo("$ev-" + token);
        assertThat(push.at("/body/message/data").toString()).doesNotContain("Laborwert", "Alice", "Befund", "@alice");

        behave(token, "unavailable");
        assertThat(send("fcm", token).kind()).isEqualTo(Kind.TRANSIENT);
        behave(token, "timeout");
        assertThat(send("fcm", token).kind()).isEqualTo(Kind.TRANSIENT);
        behave(token, "unregistered");
        assertThat(send("fcm", token)).isEqualTo(ProviderOutcome.rejected("fcm:404:UNREGISTERED"));
        behave(token, "accept");
        assertThat(send("fcm", token).kind()).as("kept after transient failures").isEqualTo(Kind.DELIVERED);
        assertThat(received(token).findValuesAsText("answeredWith"))
                .containsExactly("ACCEPT", "UNAVAILABLE", "TIMEOUT", "UNREGISTERED", "ACCEPT");
    }

    @Test
    void apnsSuccessInvalidTokenAndTransientFailures() throws Exception {
        String token = hexToken();
        assertThat(send("apns", token)).isEqualTo(ProviderOutcome.delivered());
        JsonNode push = received(token).get(0);
        assertThat(push.at("/headers/apns-topic").asText()).isEqualTo("de.tim.client");
        assertThat(push.at("/body/aps/mutable-content").asInt()).isEqualTo(1);
        assertThat(push.at("/body").toString()).doesNotContain("Laborwert", "Alice", "Befund", "@alice");

        behave(token, "unavailable");
        assertThat(send("apns", token).kind()).isEqualTo(Kind.TRANSIENT);
        behave(token, "unregistered");
        assertThat(send("apns", token)).isEqualTo(ProviderOutcome.rejected("apns:410:Unregistered"));
        assertThat(send("apns", "not-a-device-token")).isEqualTo(ProviderOutcome.rejected("apns:400:BadDeviceToken"));
    }
}

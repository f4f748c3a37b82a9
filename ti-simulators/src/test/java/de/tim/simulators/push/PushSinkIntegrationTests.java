package de.tim.simulators.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import de.tim.simulators.SimulatorHttp;
import de.tim.simulators.SimulatorIntegrationTestBase;

class PushSinkIntegrationTests extends SimulatorIntegrationTestBase {

    private static final String[] FCM_AUTH = {"Authorization", "Bearer ya29.test-token"};

    @Test
    void fcmRecordsAndAnswersPerTokenBehaviour() {
        String token = "fcm-" + UUID.randomUUID();
        String body = "{\"message\":{\"token\":\"" + token + "\",\"data\":{\"event_id\":\"$e1\",\"room_id\":\"!r:praxis-a.tim.local\"}}}";
        SimulatorHttp.Response ok = http.postJson("/v1/projects/tim-test/messages:send", body, FCM_AUTH);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("name").asText()).startsWith("projects/tim-test/messages/");

        assertThat(http.send("PUT", "/control/push/tokens/" + token + "?behaviour=unregistered", null, null).status()).isEqualTo(204);
        SimulatorHttp.Response gone = http.postJson("/v1/projects/tim-test/messages:send", body, FCM_AUTH);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/error/details/0/errorCode").asText()).isEqualTo("UNREGISTERED");

        http.send("PUT", "/control/push/tokens/" + token + "?behaviour=unavailable", null, null);
        assertThat(http.postJson("/v1/projects/tim-test/messages:send", body, FCM_AUTH).status()).isEqualTo(503);

        var received = http.get("/control/push/received?token=" + token).json();
        assertThat(received).hasSize(3);
        assertThat(received.get(0).at("/body/message/data/event_id").asText()).isEqualTo("$e1");
        assertThat(received.findValuesAsText("answeredWith")).containsExactly("ACCEPT", "UNREGISTERED", "UNAVAILABLE");
    }

    @Test
    void apnsIsReachableOverHttp2Cleartext() throws Exception {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
        String device = "abcdef0123456789abcdef0123456789";
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(http.base() + "/3/device/" + device))
                .header("authorization", "bearer eyJ.provider.jwt").header("apns-topic", "de.tim.client")
                .header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"aps\":{\"content-available\":1}}")).build();
        // the first request upgrades the connection (h2c); later ones use HTTP/2
        client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    }

    @Test
    void fcmNeedsABearerTokenAndAMessage() {
        assertThat(http.postJson("/v1/projects/p/messages:send", "{\"message\":{\"token\":\"t\"}}").status()).isEqualTo(401);
        SimulatorHttp.Response bad = http.postJson("/v1/projects/p/messages:send", "{}", FCM_AUTH);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void timeoutsHangThenAnswer504() {
        String token = "fcm-" + UUID.randomUUID();
        http.send("PUT", "/control/push/tokens/" + token + "?behaviour=timeout", null, null);
        long start = System.nanoTime();
        SimulatorHttp.Response response = http.postJson("/v1/projects/p/messages:send", "{\"message\":{\"token\":\"" + token + "\"}}", FCM_AUTH);
        assertThat(response.status()).isEqualTo(504);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(1_900_000_000L);
    }

    @Test
    void apnsAnswersLikeApns() {
        String device = UUID.randomUUID().toString().replace("-", "") + "abcdef";
        String[] headers = {"Authorization", "bearer eyJ.provider.jwt", "apns-topic", "de.tim.client", "apns-push-type", "alert"};
        String body = "{\"aps\":{\"alert\":\"Neue Nachricht\"},\"event_id\":\"$e2\"}";
        SimulatorHttp.Response ok = http.postJson("/3/device/" + device, body, headers);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("apns-id")).isNotBlank();

        http.send("PUT", "/control/push/tokens/" + device + "?behaviour=unregistered", null, null);
        SimulatorHttp.Response gone = http.postJson("/3/device/" + device, body, headers);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().get("reason").asText()).isEqualTo("Unregistered");

        assertThat(http.postJson("/3/device/" + device, body).json().get("reason").asText()).isEqualTo("MissingProviderToken");
        assertThat(http.postJson("/3/device/not-hex", body, headers).json().get("reason").asText()).isEqualTo("BadDeviceToken");
        assertThat(http.get("/control/push/received?token=" + device).json().get(0).at("/headers/apns-topic").asText()).isEqualTo("de.tim.client");
    }
}

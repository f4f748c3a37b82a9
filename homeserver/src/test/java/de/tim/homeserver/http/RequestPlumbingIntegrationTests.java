package de.tim.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;

class RequestPlumbingIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void unknownEndpointIs404Unrecognized() {
        MatrixTestClient.Response r = a().get("/_matrix/client/v3/does_not_exist", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_UNRECOGNIZED");
        assertThat(a().get("/somewhere/else", null).errcode()).isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void wrongMethodIs405Unrecognized() {
        MatrixTestClient.Response r = a().send("DELETE", "/_matrix/client/versions", null, null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.errcode()).isEqualTo("M_UNRECOGNIZED");
        assertThat(a().post("/.well-known/matrix/client", null, "{}").status()).isEqualTo(405);
    }

    @Test
    void invalidJsonIs400NotJson() {
        MatrixTestClient.Response r = a().post("/_matrix/client/v3/login", null, "{not json");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_NOT_JSON");
        assertThat(a().post("/_matrix/client/v3/login", null, "").errcode()).isEqualTo("M_NOT_JSON");
        assertThat(a().post("/_matrix/client/v3/login", null, "{} trailing").errcode()).isEqualTo("M_NOT_JSON");
    }

    @Test
    void wrongShapeIs400BadJson() {
        MatrixTestClient.Response r = a().post("/_matrix/client/v3/login", null,
                Map.of("type", "m.login.password", "user", "x", "password", 123));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().post("/_matrix/client/v3/login", null, "[]").errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().post("/_matrix/client/v3/login", null, Map.of("type", 5)).errcode()).isEqualTo("M_BAD_JSON");
        assertThat(a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.password", "refresh_token", "yes"))
                .errcode()).isEqualTo("M_BAD_JSON");
    }

    @Test
    void bodyOverLimitIs413TooLarge() {
        String big = "{\"type\":\"m.login.password\",\"x\":\"" + "a".repeat(70 * 1024) + "\"}";
        MatrixTestClient.Response r = a().post("/_matrix/client/v3/login", null, big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errcode()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void federationBodiesHaveTheirOwnLimit() {
        // a transaction above the client limit reaches the federation API (and its X-Matrix check: 401, not 413)
        String transaction = "{\"pdus\":[],\"edus\":[{\"edu_type\":\"m.typing\",\"content\":{\"x\":\""
                + "a".repeat(100 * 1024) + "\"}}]}";
        MatrixTestClient.Response accepted = a().send("PUT", "/_matrix/federation/v1/send/t1", null, transaction);
        assertThat(accepted.status()).isEqualTo(401);
        assertThat(accepted.errcode()).isEqualTo("M_UNAUTHORIZED");
        String huge = "{\"pdus\":[],\"edus\":[{\"edu_type\":\"m.typing\",\"content\":{\"x\":\""
                + "a".repeat(300 * 1024) + "\"}}]}";
        MatrixTestClient.Response refused = a().send("PUT", "/_matrix/federation/v1/send/t2", null, huge);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.errcode()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void corsHeadersAndPreflight() {
        MatrixTestClient.Response preflight = a().send("OPTIONS", "/_matrix/client/v3/login", null, null);
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Authorization");
        assertThat(a().get("/_matrix/client/versions", null).headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    }

    @Test
    void proxySecretRequiredExceptHealth() {
        MatrixTestClient noSecret = a().withoutHeader("X-Tim-Proxy-Auth");
        MatrixTestClient.Response r = noSecret.get("/_matrix/client/versions", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.errcode()).isEqualTo("M_FORBIDDEN");
        assertThat(a().withHeader("X-Tim-Proxy-Auth", "wrong").get("/_matrix/client/versions", null).status()).isEqualTo(403);
        assertThat(noSecret.get("/_matrix/client/v3/nothing", null).status()).isEqualTo(403);
        assertThat(noSecret.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(noSecret.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        // bypass attempts through the exempt health path
        assertThat(noSecret.get("/actuator/health/../../_matrix/client/versions", null).status()).isEqualTo(403);
        assertThat(noSecret.get("/actuator/health/%2E%2E/%2E%2E/_matrix/client/versions", null).status()).isIn(400, 403);
        assertThat(noSecret.get("/actuator/health;x=1/../../_matrix/client/versions", null).status()).isIn(400, 403);
    }

    @Test
    void bodyLimitCannotBeBypassedThroughTheMediaExemption() {
        String big = "{\"type\":\"m.login.password\",\"x\":\"" + "a".repeat(70 * 1024) + "\"}";
        MatrixTestClient.Response r = a().post("/_matrix/media/../client/v3/login", null, big);
        assertThat(r.status()).isEqualTo(413);
    }

    @Test
    void missingAndUnknownTokens() {
        MatrixTestClient.Response missing = a().get("/_matrix/client/v3/account/whoami", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errcode()).isEqualTo("M_MISSING_TOKEN");
        MatrixTestClient.Response unknown = a().get("/_matrix/client/v3/account/whoami", "nope");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(unknown.body().path("soft_logout").asBoolean(true)).isFalse();
    }

    @Test
    void accessTokenQueryParameterIsAccepted() {
        TestUser user = registerA("query");
        MatrixTestClient.Response r = a().get("/_matrix/client/v3/account/whoami?access_token=" + user.accessToken(), null);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.text("user_id")).isEqualTo(user.userId());
    }

    @Test
    void unknownHostIsRejected() {
        MatrixTestClient.Response r = client("unknown.example").get("/_matrix/client/v3/login", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errcode()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void requestsWithoutContentTypeAreReadAsJson() {
        MatrixTestClient.Response r = a().withHeader("Content-Type", "text/plain")
                .post("/_matrix/client/v3/login", null, "{\"type\":\"m.login.unknown\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errcode()).isEqualTo("M_UNKNOWN");
    }
}

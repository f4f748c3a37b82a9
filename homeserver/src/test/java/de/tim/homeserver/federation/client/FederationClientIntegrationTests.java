package de.tim.homeserver.federation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeEgress;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.crypto.XMatrixAuthorization;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.StrictJson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Outbound requests: absolute form to the egress, proxy secret, X-Matrix over the request, errors mapped. */
class FederationClientIntegrationTests extends HomeserverIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    FederationClient client;
    @Autowired
    DomainRegistry registry;

    @Test
    void signedRequestGoesThroughTheEgress() {
        FakeRemoteServer remote = new FakeRemoteServer("client-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        Domain a = registry.byServerName(A).orElseThrow();
        java.util.concurrent.atomic.AtomicReference<FakeRemoteServer.Request> seen = new java.util.concurrent.atomic.AtomicReference<>();
        remote.on("/_matrix/federation/v1/echo", request -> {
            seen.set(request);
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().put("ok", true));
        });
        JsonNode body = JSON.valueToTree(Map.of("hello", "world"));
        JsonNode answer = client.send(a, remote.serverName(), "PUT", "/_matrix/federation/v1/echo?x=1", body);
        assertThat(answer.path("ok").asBoolean()).isTrue();

        FakeRemoteServer.Request request = seen.get();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.headers().getFirst("X-Tim-Proxy-Auth")).isEqualTo(PROXY_SECRET);
        XMatrixAuthorization auth = XMatrixAuthorization.parse(request.headers().getFirst("Authorization"));
        assertThat(auth.origin()).isEqualTo(ServerName.parse(A));
        assertThat(auth.verify(ServerName.parse(remote.serverName()), "PUT", "/_matrix/federation/v1/echo?x=1",
                StrictJson.parse(request.body()), a.signingKey().verifyKey())).isTrue();
        assertThat(EGRESS.requests()).map(FakeEgress.Recorded::uri).map(Object::toString)
                .contains("http://" + remote.serverName() + "/_matrix/federation/v1/echo?x=1");
    }

    @Test
    void errorsAreMapped() {
        FakeRemoteServer remote = new FakeRemoteServer("errors-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        remote.on("/_matrix/federation/v1/forbidden", r -> FakeRemoteServer.Answer.json(403,
                JSON.createObjectNode().put("errcode", "M_FORBIDDEN").put("error", "no")));
        Domain a = registry.byServerName(A).orElseThrow();
        assertThatThrownBy(() -> client.get(a, remote.serverName(), "/_matrix/federation/v1/forbidden"))
                .isInstanceOfSatisfying(FederationException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.errcode()).isEqualTo("M_FORBIDDEN");
                    assertThat(e.toClientError().status()).isEqualTo(403);
                });
        assertThatThrownBy(() -> client.get(a, "unreachable.test", "/_matrix/federation/v1/version"))
                .isInstanceOfSatisfying(FederationException.class, e -> {
                    assertThat(e.isUnavailable()).isTrue();
                    assertThat(e.toClientError().status()).isEqualTo(502);
                });
        assertThatThrownBy(() -> client.get(a, "not a server", "/_matrix/federation/v1/version"))
                .isInstanceOf(FederationException.class);
    }

    @Test
    void hostedDomainsAreReachedThroughTheEgressToo() {
        EGRESS.forwardTo(port, B);
        Domain a = registry.byServerName(A).orElseThrow();
        JsonNode version = client.get(a, B, "/_matrix/federation/v1/version");
        assertThat(version.path("server").path("name").isTextual()).isTrue();
        JsonNode keys = client.getUnsigned(a, B, "/_matrix/key/v2/server");
        assertThat(keys.path("server_name").asText()).isEqualTo(B);
    }
}

package de.tim.gateway.check.invite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import de.tim.gateway.RecordingHomeserver;
import de.tim.gateway.TestFederationList;
import de.tim.gateway.listener.FederationListener;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bypass attempts against the Server-Server checks: X-Matrix origin (stage 1), invites over both
 * /invite versions and inside /send transactions (stages 1–3), third-party invites.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FederationInviteBypassIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingHomeserver HOMESERVER = new RecordingHomeserver();
    private static final TestFederationList REGISTRATION = new TestFederationList();
    private static final HttpServer DIRECTORY = directory();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String ORIGIN_B = "X-Matrix origin=\"klinik-b.tim.local\",destination=\"praxis-a.tim.local\",key=\"ed25519:a\",sig=\"c2ln\"";

    static {
        REGISTRATION.serve(TestFederationList.list(TestFederationList.SIGNER_BP, 1, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)), "praxis-a.tim.local", "klinik-b.tim.local"));
        HOMESERVER.issueOpenIdToken("tok-anna", "@anna:praxis-a.tim.local");
    }

    @LocalServerPort
    int clientPort;

    @Autowired
    FederationListener federationListener;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path anchors = TestFederationList.writeTrustAnchor(Files.createTempFile("ti-root", ".pem"));
        registry.add("tim.gateway.upstream.homeserver-uri", () -> HOMESERVER.uri().toString());
        registry.add("tim.gateway.upstream.proxy-secret", () -> RecordingHomeserver.PROXY_SECRET);
        registry.add("tim.gateway.federation.list-uri", () -> REGISTRATION.uri().toString());
        registry.add("tim.gateway.federation.access-token", () -> TestFederationList.ACCESS_TOKEN);
        registry.add("tim.gateway.federation.trust-anchors", anchors::toString);
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local");
        registry.add("tim.gateway.listener.federation-port", () -> "0");
        registry.add("tim.gateway.directory-check.uri", () -> "http://127.0.0.1:" + DIRECTORY.getAddress().getPort() + "/permission");
        registry.add("tim.gateway.contacts.database", () -> MongoWireServers.uniqueDatabaseName("contacts"));
        MongoWireServers.registerUri(registry);
    }

    @AfterAll
    static void stop() {
        HOMESERVER.close();
        REGISTRATION.close();
        DIRECTORY.stop(0);
    }

    @BeforeEach
    void anaAllowsBerndByHerContactList() throws Exception {
        long now = Instant.now().getEpochSecond();
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + clientPort + "/tim-contact-mgmt/v1.0.2/contacts"))
                .header("Authorization", "Bearer tok-anna").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"displayName\":\"Bernd\",\"mxid\":\"@bernd:klinik-b.tim.local\","
                        + "\"inviteSettings\":{\"start\":" + (now - 60) + "}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isIn(200, 409);
    }

    // --- stage 1: X-Matrix origin -------------------------------------------------------------------

    @Test
    void requestsWithoutAValidXMatrixHeaderAre401() throws Exception {
        assertDenied("GET", "/_matrix/federation/v1/version", null, null, 401, "M_UNAUTHORIZED");
        assertDenied("GET", "/_matrix/federation/v1/version", "Bearer abc", null, 401, "M_UNAUTHORIZED");
        assertDenied("GET", "/_matrix/federation/v1/version", "X-Matrix origin=klinik-b.tim.local", null, 401, "M_UNAUTHORIZED");
        assertDenied("GET", "/_matrix/federation/v1/version",
                "X-Matrix origin=\"klinik-b.tim.local\",destination=\"other.tim.local\",key=\"ed25519:a\",sig=\"c2ln\"", null, 401, "M_UNAUTHORIZED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "KLINIK-B.tim.local", "klinik-b.tim.local.", "klinik-b.tim.local:8448"})
    void originsOutsideTheFederationAre403(String origin) throws Exception {
        assertDenied("GET", "/_matrix/federation/v1/version",
                "X-Matrix origin=\"" + origin + "\",destination=\"praxis-a.tim.local\",key=\"ed25519:a\",sig=\"c2ln\"", null, 403, "M_FORBIDDEN");
    }

    @Test
    void federatedOriginsReachTheHomeserverAndPublicKeyEndpointsNeedNoAuth() throws Exception {
        assertForwarded("GET", "/_matrix/federation/v1/make_join/!r:praxis-a.tim.local/@bernd:klinik-b.tim.local", ORIGIN_B, null);
        assertForwarded("GET", "/_matrix/key/v2/server", null, null);
        HttpResponse<String> userinfo = send("GET", "/_matrix/federation/v1/openid/userinfo?access_token=tok-anna", null, null);
        assertThat(userinfo.statusCode()).as("the VZD reaches userinfo without X-Matrix").isEqualTo(200);
        assertThat(JSON.readTree(userinfo.body()).get("sub").asText()).isEqualTo("@anna:praxis-a.tim.local");
    }

    @Test
    void unknownVersionsAndClientPathsAreNotServedOnTheFederationListener() throws Exception {
        assertDenied("PUT", "/_matrix/federation/v3/invite/!r:klinik-b.tim.local/$e", ORIGIN_B, invite("@bernd:klinik-b.tim.local", "@anna:praxis-a.tim.local"), 404, "M_UNRECOGNIZED");
        assertDenied("POST", "/_matrix/client/v3/createRoom", ORIGIN_B, "{}", 404, "M_UNRECOGNIZED");
    }

    // --- invites: stages 1–3 over both /invite versions ---------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void anInviteAllowedByTheContactListIsForwarded(String version) throws Exception {
        assertForwarded("PUT", "/_matrix/federation/" + version + "/invite/!r:klinik-b.tim.local/$e1", ORIGIN_B,
                body(version, invite("@bernd:klinik-b.tim.local", "@anna:praxis-a.tim.local")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void anInviteAllowedByTheDirectoryIsForwarded(String version) throws Exception {
        assertForwarded("PUT", "/_matrix/federation/" + version + "/invite/!r:klinik-b.tim.local/$e2", ORIGIN_B,
                body(version, invite("@dir:klinik-b.tim.local", "@anna:praxis-a.tim.local")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void invitesThatMustBeDeniedAreDenied(String version) throws Exception {
        String path = "/_matrix/federation/" + version + "/invite/!r:klinik-b.tim.local/$e3";
        // neither in the contact list nor allowed by the directory
        assertDenied("PUT", path, ORIGIN_B, body(version, invite("@stranger:klinik-b.tim.local", "@anna:praxis-a.tim.local")), 403, "M_FORBIDDEN");
        // the contact list allows bernd for anna only, not for other users of ours
        assertDenied("PUT", path, ORIGIN_B, body(version, invite("@bernd:klinik-b.tim.local", "@otto:praxis-a.tim.local")), 403, "M_FORBIDDEN");
        // a server inviting in the name of another server's user
        assertDenied("PUT", path, ORIGIN_B, body(version, invite("@bernd:praxis-a.tim.local", "@anna:praxis-a.tim.local")), 403, "M_FORBIDDEN");
        // an invitee on another server
        assertDenied("PUT", path, ORIGIN_B, body(version, invite("@bernd:klinik-b.tim.local", "@anna:other.tim.local")), 403, "M_FORBIDDEN");
        // third-party invite content
        String thirdParty = invite("@bernd:klinik-b.tim.local", "@anna:praxis-a.tim.local")
                .replace("{\"membership\":\"invite\"}", "{\"membership\":\"invite\",\"third_party_invite\":{\"signed\":{}}}");
        assertDenied("PUT", path, ORIGIN_B, body(version, thirdParty), 403, "M_FORBIDDEN");
        // duplicate keys could make gateway and homeserver read different invitees
        String duplicate = invite("@bernd:klinik-b.tim.local", "@anna:praxis-a.tim.local")
                .replace("\"state_key\":\"@anna:praxis-a.tim.local\"", "\"state_key\":\"@anna:praxis-a.tim.local\",\"state_key\":\"@otto:praxis-a.tim.local\"");
        assertDenied("PUT", path, ORIGIN_B, body(version, duplicate), 400, "M_NOT_JSON");
    }

    @Test
    void thirdPartyInviteExchangesAreRefused() throws Exception {
        assertDenied("PUT", "/_matrix/federation/v1/exchange_third_party_invite/!r:praxis-a.tim.local", ORIGIN_B, "{}", 403, "M_FORBIDDEN");
        assertDenied("PUT", "/_matrix/federation/v1/3pid/onbind", ORIGIN_B, "{}", 403, "M_FORBIDDEN");
    }

    // --- invites inside /send -----------------------------------------------------------------------

    @Test
    void aTransactionSmugglingARefusedInviteIsRefusedWhole() throws Exception {
        String txn = "{\"origin\":\"klinik-b.tim.local\",\"origin_server_ts\":1,\"pdus\":["
                + message() + "," + invite("@stranger:klinik-b.tim.local", "@anna:praxis-a.tim.local") + "]}";
        assertDenied("PUT", "/_matrix/federation/v1/send/t1", ORIGIN_B, txn, 403, "M_FORBIDDEN");
    }

    @Test
    void transactionsWithoutRefusedInvitesAreForwarded() throws Exception {
        assertForwarded("PUT", "/_matrix/federation/v1/send/t2", ORIGIN_B,
                "{\"origin\":\"klinik-b.tim.local\",\"origin_server_ts\":1,\"pdus\":[" + message() + "]}");
        assertForwarded("PUT", "/_matrix/federation/v1/send/t3", ORIGIN_B,
                "{\"origin\":\"klinik-b.tim.local\",\"origin_server_ts\":1,\"pdus\":["
                        + invite("@bernd:klinik-b.tim.local", "@anna:praxis-a.tim.local") + "]}");
        assertForwarded("PUT", "/_matrix/federation/v1/send/t4", ORIGIN_B,
                "{\"origin\":\"klinik-b.tim.local\",\"origin_server_ts\":1,\"pdus\":["
                        + invite("@bernd:klinik-b.tim.local", "@carl:klinik-b.tim.local") + "]}");
    }

    @Test
    void aTransactionAboveTheClientLimitIsStillInspectedAndForwarded() throws Exception {
        // 50 PDUs of up to 64 KiB are legal: far above the client-server inspection limit of 1 MiB
        String big = "{\"type\":\"m.room.message\",\"room_id\":\"!r:klinik-b.tim.local\",\"sender\":\"@bernd:klinik-b.tim.local\","
                + "\"content\":{\"body\":\"" + "a".repeat(60 * 1024) + "\"},\"origin_server_ts\":1,\"depth\":5,"
                + "\"prev_events\":[],\"auth_events\":[],\"hashes\":{\"sha256\":\"x\"},\"signatures\":{}}";
        String pdus = String.join(",", java.util.Collections.nCopies(30, big));
        assertForwarded("PUT", "/_matrix/federation/v1/send/t5", ORIGIN_B,
                "{\"origin\":\"klinik-b.tim.local\",\"origin_server_ts\":1,\"pdus\":[" + pdus + "]}");
        assertDenied("PUT", "/_matrix/federation/v1/send/t6", ORIGIN_B,
                "{\"origin\":\"klinik-b.tim.local\",\"origin_server_ts\":1,\"pdus\":[" + pdus + ","
                        + invite("@stranger:klinik-b.tim.local", "@anna:praxis-a.tim.local") + "]}", 403, "M_FORBIDDEN");
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static String invite(String sender, String invitee) {
        return "{\"type\":\"m.room.member\",\"room_id\":\"!r:klinik-b.tim.local\",\"sender\":\"" + sender
                + "\",\"state_key\":\"" + invitee + "\",\"content\":{\"membership\":\"invite\"},\"origin_server_ts\":1,"
                + "\"depth\":5,\"prev_events\":[],\"auth_events\":[],\"hashes\":{\"sha256\":\"x\"},\"signatures\":{}}";
    }

    private static String message() {
        return "{\"type\":\"m.room.message\",\"room_id\":\"!r:klinik-b.tim.local\",\"sender\":\"@bernd:klinik-b.tim.local\","
                + "\"content\":{\"msgtype\":\"m.text\",\"body\":\"hi\"},\"origin_server_ts\":1,\"depth\":6,\"prev_events\":[],"
                + "\"auth_events\":[],\"hashes\":{\"sha256\":\"x\"},\"signatures\":{}}";
    }

    private static String body(String version, String event) {
        return version.equals("v1") ? event : "{\"room_version\":\"10\",\"event\":" + event + ",\"invite_room_state\":[]}";
    }

    private void assertForwarded(String method, String path, String authorization, String body) throws Exception {
        int before = HOMESERVER.requests();
        HttpResponse<String> response = send(method, path, authorization, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
        if (body != null) {
            assertThat(JSON.readTree(response.body()).get("body").asText()).isEqualTo(body);
        }
        assertThat(JSON.readTree(response.body()).get("method").asText()).as("method kept").isEqualTo(method);
        assertThat(HOMESERVER.requests()).isEqualTo(before + 1);
    }

    private void assertDenied(String method, String path, String authorization, String body, int status, String errcode) throws Exception {
        int before = HOMESERVER.requests();
        HttpResponse<String> response = send(method, path, authorization, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("errcode").asText()).isEqualTo(errcode);
        assertThat(HOMESERVER.requests()).as("a denied request never reaches the homeserver").isEqualTo(before);
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + federationListener.localPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpServer directory() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/permission", exchange -> {
                String query = java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
                boolean allowed = query.contains("inviter=@dir:klinik-b.tim.local");
                byte[] body = ("{\"allowed\":" + allowed + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

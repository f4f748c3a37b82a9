package de.tim.gateway.check.invite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.gateway.RecordingHomeserver;
import de.tim.gateway.TestFederationList;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bypass attempts against stage 1 on the Client-Server side: every path that can invite someone or make
 * the homeserver contact another server, in every spelling a client could try. What must be denied is
 * denied (and never reaches the homeserver); what must pass passes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientServerInviteBypassIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingHomeserver HOMESERVER = new RecordingHomeserver();
    private static final TestFederationList REGISTRATION = new TestFederationList();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    static {
        REGISTRATION.serve(TestFederationList.list(TestFederationList.SIGNER_BP, 1, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(30)), "praxis-a.tim.local", "klinik-b.tim.local"));
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path anchors = TestFederationList.writeTrustAnchor(Files.createTempFile("ti-root", ".pem"));
        registry.add("tim.gateway.upstream.homeserver-uri", () -> HOMESERVER.uri().toString());
        registry.add("tim.gateway.upstream.proxy-secret", () -> RecordingHomeserver.PROXY_SECRET);
        registry.add("tim.gateway.federation.list-uri", () -> REGISTRATION.uri().toString());
        registry.add("tim.gateway.federation.access-token", () -> TestFederationList.ACCESS_TOKEN);
        registry.add("tim.gateway.federation.trust-anchors", anchors::toString);
        registry.add("tim.gateway.federation.signer-role-oid", () -> TestFederationList.SIGNER_ROLE);
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local");
        registry.add("tim.gateway.routes.max-inspected-body", () -> "4096");
        MongoWireServers.registerUri(registry);
    }

    @AfterAll
    static void stop() {
        HOMESERVER.close();
        REGISTRATION.close();
    }

    // --- createRoom ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"v3", "r0"})
    void createRoomWithOneFederatedInviteeIsForwarded(String version) throws Exception {
        assertForwarded("POST", "/_matrix/client/" + version + "/createRoom", "{\"invite\":[\"@b:klinik-b.tim.local\"],\"is_direct\":true}");
        assertForwarded("POST", "/_matrix/client/" + version + "/createRoom", "{\"invite\":[\"@c:praxis-a.tim.local\"]}");
        assertForwarded("POST", "/_matrix/client/" + version + "/createRoom", "{}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"invite\":[\"@x:evil.example\"]}",
            "{\"invite\":[\"@b:klinik-b.tim.local\",\"@c:praxis-a.tim.local\"]}",
            "{\"invite\":[\"@x:KLINIK-B.tim.local\"]}",
            "{\"invite\":[\"@x:klinik-b.tim.local.\"]}",
            "{\"invite\":[\"@x:klinik-b.tim.local:8448\"]}",
            "{\"invite_3pid\":[{\"id_server\":\"id.example\",\"medium\":\"email\",\"address\":\"a@b.de\"}]}",
            "{\"initial_state\":[{\"type\":\"m.room.member\",\"state_key\":\"@x:evil.example\",\"content\":{\"membership\":\"invite\"}}]}",
            "{\"initial_state\":[{\"type\":\"m.room.third_party_invite\",\"state_key\":\"t\",\"content\":{}}]}"})
    void createRoomThatMustBeDeniedIsDenied(String body) throws Exception {
        assertDenied("POST", "/_matrix/client/v3/createRoom", body, 403, "M_FORBIDDEN");
        assertDenied("POST", "/_matrix/client/r0/createRoom", body, 403, "M_FORBIDDEN");
    }

    @Test
    void duplicateKeysCannotSmuggleAnInvitee() throws Exception {
        assertDenied("POST", "/_matrix/client/v3/createRoom",
                "{\"invite\":[\"@b:klinik-b.tim.local\"],\"invite\":[\"@x:evil.example\"]}", 400, "M_NOT_JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/_matrix/client/v4/createRoom", "/_matrix/client/unstable/createRoom",
            "/_matrix/client/V3/createRoom", "/_matrix/client/v3/createRoom/", "/_matrix/client/v3/./createRoom",
            "/_matrix/client/v3/x/../createRoom", "/_matrix/client/v3//createRoom", "/_matrix/client/v3/createRoom;x=1",
            "/_matrix/client/v3/createroom"})
    void otherSpellingsOfTheCreateRoomPathAreNotForwarded(String path) throws Exception {
        int before = HOMESERVER.requests();
        HttpResponse<String> response = rawPost(path, "{\"invite\":[\"@x:evil.example\"]}");
        assertThat(response.statusCode()).as(path).isIn(400, 404);
        assertThat(HOMESERVER.requests()).as("%s must not reach the homeserver", path).isEqualTo(before);
    }

    @Test
    void aPercentEncodedCreateRoomPathIsCheckedLikeThePlainOne() throws Exception {
        assertDenied("POST", "/_matrix/client/v3/create%52oom", "{\"invite\":[\"@x:evil.example\"]}", 403, "M_FORBIDDEN");
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(5000) + "\"}";
        assertDenied("POST", "/_matrix/client/v3/createRoom", big, 413, "M_TOO_LARGE");
    }

    @Test
    void wrongMethodIsA405() throws Exception {
        assertDenied("GET", "/_matrix/client/v3/createRoom", null, 405, "M_UNRECOGNIZED");
    }

    // --- invite -------------------------------------------------------------------------------------

    @Test
    void invitingAFederatedUserIsForwarded() throws Exception {
        assertForwarded("POST", "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/invite", "{\"user_id\":\"@b:klinik-b.tim.local\"}");
        assertForwarded("POST", "/_matrix/client/r0/rooms/%21r%3Apraxis-a.tim.local/invite", "{\"user_id\":\"@b:klinik-b.tim.local\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/invite|{\"user_id\":\"@x:evil.example\"}",
            "/_matrix/client/r0/rooms/!r:praxis-a.tim.local/invite|{\"user_id\":\"@x:evil.example\"}",
            "/_matrix/client/v3/rooms/%21r%3Apraxis-a.tim.local/invite|{\"user_id\":\"@x:evil.example\"}",
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/%69nvite|{\"user_id\":\"@x:evil.example\"}",
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/invite|{\"user_id\":\"@x:Evil.Example\"}",
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/invite|{\"id_server\":\"id.example\",\"medium\":\"email\",\"address\":\"a@b.de\"}",
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/invite|{\"user_id\":\"@b:klinik-b.tim.local\",\"medium\":\"email\",\"address\":\"a@b.de\",\"id_server\":\"i\"}"})
    void invitesThatMustBeDeniedAreDenied(String path, String body) throws Exception {
        assertDenied("POST", path, body, 403, "M_FORBIDDEN");
    }

    // --- membership state ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m.room.member/@x:evil.example",
            "/_matrix/client/r0/rooms/!r:praxis-a.tim.local/state/m.room.member/@x:evil.example",
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m%2Eroom%2Emember/%40x%3Aevil.example",
            "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m.room.member/@x:EVIL.example"})
    void inviteByMembershipStateIsChecked(String path) throws Exception {
        assertDenied("PUT", path, "{\"membership\":\"invite\"}", 403, "M_FORBIDDEN");
    }

    @Test
    void membershipStateThatInvitesNobodyOutsideIsForwarded() throws Exception {
        assertForwarded("PUT", "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m.room.member/@b:klinik-b.tim.local",
                "{\"membership\":\"invite\"}");
        assertForwarded("PUT", "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m.room.member/@a:praxis-a.tim.local",
                "{\"membership\":\"join\",\"displayname\":\"A\"}");
        assertForwarded("PUT", "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m.room.name", "{\"name\":\"Team\"}");
    }

    @Test
    void thirdPartyInviteStateIsRefused() throws Exception {
        assertDenied("PUT", "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m.room.third_party_invite/tok",
                "{\"display_name\":\"x\"}", 403, "M_FORBIDDEN");
        assertDenied("PUT", "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/state/m.room.member/@b:klinik-b.tim.local",
                "{\"membership\":\"invite\",\"third_party_invite\":{\"signed\":{}}}", 403, "M_FORBIDDEN");
    }

    // --- joins and knocks ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
            "/_matrix/client/v3/join/%23room:evil.example",
            "/_matrix/client/v3/join/!r:evil.example",
            "/_matrix/client/v3/join/!r:praxis-a.tim.local?server_name=evil.example",
            "/_matrix/client/v3/join/!r:praxis-a.tim.local?server_name=klinik-b.tim.local&server_name=evil.example",
            "/_matrix/client/v3/join/!r:praxis-a.tim.local?via=evil.example",
            "/_matrix/client/v3/rooms/!r:evil.example/join",
            "/_matrix/client/v3/knock/%23room:evil.example",
            "/_matrix/client/r0/join/%23room:evil.example"})
    void joinsThroughServersOutsideTheFederationAreDenied(String path) throws Exception {
        assertDenied("POST", path, "{}", 403, "M_FORBIDDEN");
    }

    @Test
    void joinsWithinTheFederationAreForwarded() throws Exception {
        assertForwarded("POST", "/_matrix/client/v3/join/%23team:klinik-b.tim.local", "{}");
        assertForwarded("POST", "/_matrix/client/v3/join/!r:praxis-a.tim.local?server_name=klinik-b.tim.local", "{}");
        assertForwarded("POST", "/_matrix/client/v3/rooms/!r:klinik-b.tim.local/join", null);
    }

    @Test
    void thirdPartySignedJoinsAreRefused() throws Exception {
        assertDenied("POST", "/_matrix/client/v3/rooms/!r:praxis-a.tim.local/join",
                "{\"third_party_signed\":{\"sender\":\"@a:praxis-a.tim.local\"}}", 403, "M_FORBIDDEN");
    }

    // --- helpers ------------------------------------------------------------------------------------

    private void assertForwarded(String method, String path, String body) throws Exception {
        int before = HOMESERVER.requests();
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.get("path").asText()).isEqualTo(URI.create("http://h" + path).getPath());
        if (body != null) {
            assertThat(echo.get("body").asText()).as("the body reaches the homeserver byte for byte").isEqualTo(body);
        }
        assertThat(JSON.readTree(response.body()).get("method").asText()).as("method kept").isEqualTo(method);
        assertThat(HOMESERVER.requests()).isEqualTo(before + 1);
    }

    private void assertDenied(String method, String path, String body, int status, String errcode) throws Exception {
        int before = HOMESERVER.requests();
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as("%s %s %s: %s", method, path, body, response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("errcode").asText()).isEqualTo(errcode);
        assertThat(HOMESERVER.requests()).as("a denied request never reaches the homeserver").isEqualTo(before);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return CLIENT.send(request.header("Authorization", "Bearer syt_token").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the path exactly as written (the JDK client would normalise some spellings). */
    private HttpResponse<String> rawPost(String path, String body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            return new RawResponse(status, response);
        }
    }

    private record RawResponse(int statusCode, String body) implements HttpResponse<String> {
        public HttpRequest request() { return null; }
        public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true); }
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        public URI uri() { return null; }
        public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}

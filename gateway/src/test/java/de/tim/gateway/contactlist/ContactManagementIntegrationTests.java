package de.tim.gateway.contactlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.gateway.RecordingHomeserver;
import de.tim.matrix.id.UserId;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The contact management API over HTTP, every exchange validated against TiMessengerContactManagement.yaml,
 * and its entries deciding stage 2.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ContactManagementIntegrationTests {

    private static final String BASE = "/tim-contact-mgmt/v1.0.2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingHomeserver HOMESERVER = new RecordingHomeserver();
    private static final OpenApiInteractionValidator CONTRACT = OpenApiInteractionValidator
            .createForSpecificationUrl("openapi/TiMessengerContactManagement.yaml")
            .withBasePathOverride(BASE)
            .build();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    ContactManagementService contacts;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tim.gateway.upstream.homeserver-uri", () -> HOMESERVER.uri().toString());
        registry.add("tim.gateway.upstream.proxy-secret", () -> RecordingHomeserver.PROXY_SECRET);
        registry.add("tim.gateway.contacts.database", () -> MongoWireServers.uniqueDatabaseName("contacts"));
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local");
        MongoWireServers.registerUri(registry);
        HOMESERVER.issueOpenIdToken("tok-alice", "@alice:praxis-a.tim.local");
        HOMESERVER.issueOpenIdToken("tok-bob", "@bob:praxis-a.tim.local");
        HOMESERVER.issueOpenIdToken("tok-ivan", "@ivan:praxis-a.tim.local");
        HOMESERVER.issueOpenIdToken("tok-judy", "@judy:praxis-a.tim.local");
    }

    @AfterAll
    static void stop() {
        HOMESERVER.close();
    }

    @Test
    void infoDescribesTheInterface() throws Exception {
        JsonNode info = json(exchange("GET", "/", "tok-alice", null, 200));
        assertThat(info.get("version").asText()).isEqualTo("1.0.2");
        assertThat(info.get("title").asText()).isNotBlank();
    }

    @Test
    void createReadUpdateDeleteOwnContactSettings() throws Exception {
        long now = Instant.now().getEpochSecond();
        String carol = "@carol:klinik-b.tim.local";
        String created = exchange("POST", "/contacts", "tok-alice", contact(carol, now - 10, now + 3600), 200);
        assertThat(json(created).get("mxid").asText()).isEqualTo(carol);

        assertThat(json(exchange("GET", "/contacts", "tok-alice", null, 200)).get("contacts"))
                .extracting(n -> n.get("mxid").asText()).containsExactly(carol);
        assertThat(json(exchange("GET", "/contacts", "tok-ivan", null, 200)).get("contacts"))
                .as("each user sees only their own list").isEmpty();

        exchange("PUT", "/contacts", "tok-alice", contact(carol, now - 10, null), 200);
        JsonNode read = json(exchange("GET", "/contacts/" + carol, "tok-alice", null, 200));
        assertThat(read.at("/inviteSettings/end").isMissingNode()).isTrue();

        exchange("GET", "/contacts/" + URLEncoder.encode(carol, StandardCharsets.UTF_8), "tok-alice", null, 200);
        exchange("DELETE", "/contacts/" + carol, "tok-ivan", null, 404);
        exchange("DELETE", "/contacts/" + carol, "tok-alice", null, 204);
        exchange("GET", "/contacts/" + carol, "tok-alice", null, 404);
    }

    @Test
    void badInputAndAuthErrorsUseTheErrorObject() throws Exception {
        long now = Instant.now().getEpochSecond();
        String dave = "@dave:klinik-b.tim.local";
        exchange("GET", "/contacts", null, null, 401);
        exchange("GET", "/contacts", "not-a-token", null, 401);
        exchange("POST", "/contacts", "tok-judy", "{not json", 400);
        exchange("POST", "/contacts", "tok-judy", "{\"displayName\":\"D\",\"mxid\":\"dave\",\"inviteSettings\":{\"start\":1}}", 400);
        exchange("POST", "/contacts", "tok-judy", "{\"displayName\":\"D\",\"mxid\":\"" + dave + "\"}", 400);
        exchange("POST", "/contacts", "tok-judy", "{\"displayName\":\"D\",\"mxid\":\"" + dave
                + "\",\"inviteSettings\":{\"start\":\"soon\"}}", 400);
        exchange("POST", "/contacts", "tok-judy", contact(dave, now + 100, now), 400);
        exchange("POST", "/contacts", "tok-judy", "{\"displayName\":\"D\",\"mxid\":\"@mallory:x.de\",\"mxid\":\"" + dave
                + "\",\"inviteSettings\":{\"start\":1}}", 400);
        exchange("PUT", "/contacts", "tok-judy", contact("@nobody:klinik-b.tim.local", now, null), 404);
        exchange("POST", "/contacts", "tok-judy", contact(dave, now, null), 200);
        exchange("POST", "/contacts", "tok-judy", contact(dave, now, null), 409);
        exchange("GET", "/contacts/not-an-mxid", "tok-judy", null, 400);
    }

    @Test
    void activeEntriesDecideStageTwo() throws Exception {
        long now = Instant.now().getEpochSecond();
        UserId bob = UserId.parse("@bob:praxis-a.tim.local");
        UserId erin = UserId.parse("@erin:klinik-b.tim.local");
        UserId frank = UserId.parse("@frank:klinik-b.tim.local");
        UserId grace = UserId.parse("@grace:klinik-b.tim.local");
        exchange("POST", "/contacts", "tok-bob", contact(erin.value(), now - 60, now + 3600), 200);
        exchange("POST", "/contacts", "tok-bob", contact(frank.value(), now + 3600, null), 200);
        exchange("POST", "/contacts", "tok-bob", contact(grace.value(), now - 7200, now - 3600), 200);

        assertThat(contacts.allowsInvite(bob, erin)).as("active entry").isTrue();
        assertThat(contacts.allowsInvite(bob, frank)).as("not yet valid").isFalse();
        assertThat(contacts.allowsInvite(bob, grace)).as("expired").isFalse();
        assertThat(contacts.allowsInvite(erin, bob)).as("lists are directional").isFalse();

        assertThat(contacts.removeExpired()).isGreaterThanOrEqualTo(1);
        exchange("GET", "/contacts/" + grace.value(), "tok-bob", null, 404);
    }

    private String exchange(String method, String path, String token, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + BASE + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        SimpleRequest.Builder contractRequest = new SimpleRequest.Builder(Request.Method.valueOf(method), BASE + path);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
            contractRequest.withAuthorization("Bearer " + token);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
            contractRequest.withContentType("application/json").withBody(body);
        }
        HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expectedStatus);

        SimpleResponse.Builder contractResponse = SimpleResponse.Builder.status(response.statusCode());
        if (!response.body().isEmpty()) {
            contractResponse.withContentType(response.headers().firstValue("Content-Type").orElse("")).withBody(response.body());
        }
        ValidationReport report = expectedStatus < 300
                ? CONTRACT.validate(contractRequest.build(), contractResponse.build())
                : CONTRACT.validateResponse(BASE + path, Request.Method.valueOf(method), contractResponse.build());
        assertThat(report.getMessages()).as("%s %s against the OpenAPI file", method, path).isEmpty();
        if (expectedStatus >= 400) {
            assertThat(json(response.body()).fieldNames()).toIterable().containsExactlyInAnyOrder("errorCode", "errorMessage");
        }
        return response.body();
    }

    private static String contact(String mxid, long start, Long end) throws Exception {
        Map<String, Object> invite = end == null ? Map.of("start", start) : Map.of("start", start, "end", end);
        return JSON.writeValueAsString(Map.of("displayName", "Kontakt", "mxid", mxid, "inviteSettings", invite));
    }

    private static JsonNode json(String body) throws Exception {
        return JSON.readTree(body);
    }
}

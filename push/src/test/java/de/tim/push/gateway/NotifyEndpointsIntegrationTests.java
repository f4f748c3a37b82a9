package de.tim.push.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import de.tim.push.sink.ProviderSink;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /_matrix/push/v1/notify} against the spec's request and response schemas (push_notifier.yaml of
 * Matrix v1.11), with the in-test provider sink behind it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("notify-test")
class NotifyEndpointsIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProviderSink sink = new ProviderSink().start();
    private static JsonSchema requestSchema;
    private static JsonSchema responseSchema;
    private static JsonNode specExample;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.data.mongodb.uri", () -> MongoWireServers.shared().connectionString());
        registry.add("tim.push.mongo.database", () -> MongoWireServers.uniqueDatabaseName("notify"));
        registry.add("tim.push.gateway.apps.[org.matrix.matrixConsole.ios].fcm.base-url", () -> sink.baseUrl().toString());
        registry.add("tim.push.gateway.apps.[org.matrix.matrixConsole.ios].fcm.service-account-json", sink::serviceAccountJson);
        registry.add("tim.push.gateway.apps.[de.tim.ios].apns.base-url", () -> sink.baseUrl().toString());
        registry.add("tim.push.gateway.apps.[de.tim.ios].apns.private-key", sink::apnsPrivateKeyPem);
    }

    @BeforeAll
    static void loadSpec() throws Exception {
        JsonNode spec;
        try (InputStream in = NotifyEndpointsIntegrationTests.class.getResourceAsStream("/spec/push_notifier.yaml")) {
            spec = new YAMLMapper().readTree(in);
        }
        JsonNode post = spec.at("/paths/~1notify/post");
        ObjectNode request = ((ObjectNode) post.at("/requestBody/content/application~1json/schema")).deepCopy();
        specExample = request.remove("example");
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        requestSchema = factory.getSchema(request);
        responseSchema = factory.getSchema(post.at("/responses/200/content/application~1json/schema"));
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> notify(JsonNode body) throws Exception {
        return post("/_matrix/push/v1/notify", body.toString());
    }

    private static ObjectNode request(String eventId, String... devices) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode n = root.putObject("notification");
        n.put("event_id", eventId).put("room_id", "!room:praxis-a.tim.local").put("sender", "@alice:praxis-a.tim.local")
                .put("room_name", "Befund").put("prio", "high");
        n.putObject("content").put("msgtype", "m.text").put("body", "Laborwert kritisch");
        n.putObject("counts").put("unread", 2);
        var array = n.putArray("devices");
        for (String device : devices) {
            String[] parts = device.split("/", 2);
            array.addObject().put("app_id", parts[0]).put("pushkey", parts[1]).put("pushkey_ts", 12345678);
        }
        return root;
    }

    private static List<String> rejected(HttpResponse<String> response) throws Exception {
        JsonNode body = JSON.readTree(response.body());
        assertThat(responseSchema.validate(body)).as("response matches the spec schema").isEmpty();
        return JSON.convertValue(body.get("rejected"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    @Test
    void theSpecExampleIsAcceptedAndTheAnswerMatchesTheResponseSchema() throws Exception {
        assertThat(requestSchema.validate(specExample)).isEmpty();
        HttpResponse<String> response = notify(specExample);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(rejected(response)).isEmpty();
        String pushkey = specExample.at("/notification/devices/0/pushkey").asText();
        assertThat(sink.receivedFor(pushkey)).singleElement().satisfies(push -> {
            assertThat(push.body().toString()).doesNotContain("peculiar", "Major Tom", "Mission Control", "@exampleuser");
            assertThat(push.body().at("/message/data/event_id").asText()).isEqualTo("$3957tyerfgewrf384");
        });

        // a retry of the same request is suppressed (event id + app id + pushkey)
        assertThat(rejected(notify(specExample))).isEmpty();
        assertThat(sink.receivedFor(pushkey)).hasSize(1);
    }

    @Test
    void permanentlyInvalidPushkeysAreRejected() throws Exception {
        sink.unregister("gone-fcm");
        sink.unregister("gone-apns");
        HttpResponse<String> response = notify(request("$e1", "org.matrix.matrixConsole.ios/gone-fcm",
                "de.tim.ios/gone-apns", "unknown.app/whatever", "de.tim.ios/fine-apns"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(rejected(response)).containsExactly("gone-fcm", "gone-apns", "whatever");
        assertThat(sink.receivedFor("fine-apns")).hasSize(1);
        // remembered: a retry answers the same without asking the provider again
        int before = sink.requests();
        assertThat(rejected(notify(request("$e1", "org.matrix.matrixConsole.ios/gone-fcm")))).containsExactly("gone-fcm");
        assertThat(sink.requests()).isEqualTo(before);
    }

    @Test
    void transientProviderFailuresAreRetriedByTheCallerAndNeverRejected() throws Exception {
        sink.failNext("flaky", 1, 503);
        HttpResponse<String> first = notify(request("$e2", "org.matrix.matrixConsole.ios/steady", "de.tim.ios/flaky"));
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(first.body()).get("errcode").asText()).isEqualTo("M_UNKNOWN");
        assertThat(first.body()).doesNotContain("flaky", "steady");

        HttpResponse<String> retry = notify(request("$e2", "org.matrix.matrixConsole.ios/steady", "de.tim.ios/flaky"));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(rejected(retry)).isEmpty();
        assertThat(sink.receivedFor("steady")).as("delivered once despite the retry").hasSize(1);
        assertThat(sink.receivedFor("flaky")).hasSize(1);
    }

    @Test
    void countOnlyUpdatesAreDelivered() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        var n = body.putObject("notification");
        n.putObject("counts").put("unread", 0);
        n.putArray("devices").addObject().put("app_id", "de.tim.ios").put("pushkey", "badge-only");
        assertThat(rejected(notify(body))).isEmpty();
        assertThat(sink.receivedFor("badge-only")).singleElement()
                .satisfies(push -> assertThat(push.body().has("event_id")).isFalse());
    }

    @Test
    void requestsTheSchemaRejectsAreBadJson() throws Exception {
        List<String> invalid = List.of(
                "{}",
                "{\"notification\": 1}",
                "{\"notification\": {}}",
                "{\"notification\": {\"devices\": {}}}",
                "{\"notification\": {\"devices\": [{\"app_id\": \"a\"}]}}",
                "{\"notification\": {\"devices\": [{\"pushkey\": \"p\"}]}}",
                "{\"notification\": {\"devices\": [{\"app_id\": 1, \"pushkey\": \"p\"}]}}",
                "{\"notification\": {\"devices\": [\"x\"]}}",
                "{\"notification\": {\"prio\": \"urgent\", \"devices\": []}}",
                "{\"notification\": {\"event_id\": 5, \"devices\": []}}",
                "{\"notification\": {\"counts\": {\"unread\": \"two\"}, \"devices\": []}}",
                "{\"notification\": {\"counts\": {\"unread\": 1.5}, \"devices\": []}}",
                "{\"notification\": {\"content\": \"text\", \"devices\": []}}",
                "{\"notification\": {\"user_is_target\": \"yes\", \"devices\": []}}",
                "{\"notification\": {\"devices\": [{\"app_id\": \"a\", \"pushkey\": \"p\", \"pushkey_ts\": \"x\"}]}}",
                "{\"notification\": {\"devices\": [{\"app_id\": \"a\", \"pushkey\": \"p\", \"tweaks\": []}]}}");
        for (String body : invalid) {
            assertThat(requestSchema.validate(JSON.readTree(body))).as("schema rejects %s", body).isNotEmpty();
            HttpResponse<String> response = post("/_matrix/push/v1/notify", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("errcode").asText()).as(body).isEqualTo("M_BAD_JSON");
        }
        assertThat(requestSchema.validate(JSON.readTree("{\"notification\": {\"devices\": []}}"))).isEmpty();
        assertThat(rejected(post("/_matrix/push/v1/notify", "{\"notification\": {\"devices\": []}}"))).isEmpty();
    }

    @Test
    void nonJsonIsNotJson() throws Exception {
        for (String body : List.of("", "not json", "[1,2]", "\"text\"", "{\"notification\":")) {
            HttpResponse<String> response = post("/_matrix/push/v1/notify", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("errcode").asText()).as(body).isEqualTo("M_NOT_JSON");
        }
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/_matrix/push/v1/notify"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(plain.body()).get("errcode").asText()).isEqualTo("M_NOT_JSON");
    }

    @Test
    void oversizedRequestsAreTooLarge() throws Exception {
        String big = "{\"notification\": {\"room_name\": \"" + "x".repeat(70_000) + "\", \"devices\": []}}";
        HttpResponse<String> response = post("/_matrix/push/v1/notify", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("errcode").asText()).isEqualTo("M_TOO_LARGE");
    }

    @Test
    void unknownPathsAndMethodsAreUnrecognized() throws Exception {
        HttpResponse<String> unknown = post("/_matrix/push/v1/other", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/_matrix/push/v1/notify"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(get.body()).get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");
        assertThat(get.body()).doesNotContain("Exception", "trace");
    }
}

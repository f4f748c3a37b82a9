package de.tim.stack;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.tim.crypto.tls.SslContexts;
import de.tim.embedded.net.FreePorts;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole local stack starts, answers over TLS with its development CA and keeps its data across a restart. */
class LocalStackIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A topic of this test only: the stack's consumers must not see its records. */
    private static final String MARKER_TOPIC = "stack-test-markers";
    private static final java.util.regex.Pattern KIM_LINK =
            java.util.regex.Pattern.compile("/registration/v1/onboarding/kim/confirm\\?token=([A-Za-z0-9_-]+)");

    private static final String KIM_ADMIN = "praxis.admin";
    private static final String KIM_ADMIN_PASSWORD = "correct horse battery staple";

    @TempDir
    Path dataDir;

    @Test
    void startsAnswersOverTlsAndKeepsDataAcrossARestart() throws Exception {
        StackSettings settings = settingsOnFreePorts(dataDir);
        String marker = UUID.randomUUID().toString();
        X509Certificate firstCa;

        try (LocalStack stack = LocalStack.start(settings)) {
            firstCa = stack.caCertificate();
            assertGatewaysHealthy(stack);
            assertThat(stack.demoUsers()).contains("@anna.schmidt:praxis-a.tim.local", "@ben.weber:klinik-b.tim.local");
            assertDemoLoginThroughGateway(stack, "@anna.schmidt:praxis-a.tim.local", settings.domains().get(0).clientPort());
            assertDemoLoginThroughGateway(stack, "@ben.weber:klinik-b.tim.local", settings.domains().get(1).clientPort());
            assertFederationListReachedTheGateways(stack);
            assertPushReachesTheSimulatedProvider(stack);
            assertRetentionReachesTheAdminApi(stack);
            String totpSecret = assertKimOnboardingCreatesAnAdmin(stack);
            assertProvisionedDomainIsAcceptedByTheGateway(stack, totpSecret);
            try (MongoClient mongo = MongoClients.create(stack.mongoUri())) {
                mongo.getDatabase("stack_test").getCollection("markers").insertOne(new Document("_id", marker));
            }
            produce(stack.kafkaBootstrapServers(), MARKER_TOPIC, marker);
        }

        try (LocalStack restarted = LocalStack.start(settings)) {
            assertThat(restarted.caCertificate()).as("the development CA is kept").isEqualTo(firstCa);
            assertGatewaysHealthy(restarted);
            assertDemoLoginThroughGateway(restarted, "@anna.schmidt:praxis-a.tim.local", settings.domains().get(0).clientPort());
            try (MongoClient mongo = MongoClients.create(restarted.mongoUri())) {
                assertThat(mongo.getDatabase("stack_test").getCollection("markers").find(eq("_id", marker)).first())
                        .as("MongoDB data survives the restart").isNotNull();
            }
            assertThat(consumeKeys(restarted.kafkaBootstrapServers(), MARKER_TOPIC, marker))
                    .as("Kafka records survive the restart").contains(marker);
        }
    }

    private static void assertGatewaysHealthy(LocalStack stack) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(SslContexts.trusting(List.of(stack.caCertificate())))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        for (StackSettings.DomainSettings domain : stack.settings().domains()) {
            for (int port : List.of(domain.clientPort(), domain.federationPort())) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("%s port %d", domain.serverName(), port).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("UP");
            }
            HttpResponse<String> versions = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + domain.clientPort() + "/_matrix/client/versions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(versions.statusCode()).as("versions through the %s gateway", domain.serverName()).isEqualTo(200);
            assertThat(JSON.readTree(versions.body()).get("versions")).isNotEmpty();
        }
    }

    /**
     * The registration service fetched the signed federation list from the simulated VZD and each gateway
     * verified it: a listed origin passes the gateway's stage-1 check, an unlisted one is refused.
     */
    private static void assertFederationListReachedTheGateways(LocalStack stack) throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(federationRequestStatus(stack, "klinik-b.tim.local"))
                        .as("klinik-b.tim.local is on the verified federation list").isNotEqualTo(403));
        assertThat(federationRequestStatus(stack, "evil.example")).isEqualTo(403);
    }

    /** Status of a federation request from {@code origin} at the praxis gateway (403: origin not on its federation list). */
    private static int federationRequestStatus(LocalStack stack, String origin) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(SslContexts.trusting(List.of(stack.caCertificate())))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        StackSettings.DomainSettings praxis = stack.settings().domains().get(0);
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + praxis.federationPort()
                                + "/_matrix/federation/v1/version"))
                        .header("Authorization", "X-Matrix origin=\"" + origin + "\",destination=\"" + praxis.serverName()
                                + "\",key=\"ed25519:a\",sig=\"c2ln\"").build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /**
     * Issue "Done when" (b): the Org-Admin onboarded by KIM orders a Messenger-Service for a new domain (AF_10060: the
     * registration service adds it at the VZD with {@code POST /federation} and at the homeserver); the federation list
     * the registration service serves carries it, and the gateway, which refused that origin with 403 before, accepts it
     * after its next fetch of the list (an unknown origin triggers one, at most every {@code miss-refetch-interval}).
     */
    private static void assertProvisionedDomainIsAcceptedByTheGateway(LocalStack stack, String totpSecret) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String registration = "http://localhost:" + stack.settings().registrationPort();
        String domain = "neu-" + UUID.randomUUID().toString().substring(0, 8) + ".tim.local";
        assertThat(federationRequestStatus(stack, domain)).as("not yet on the federation list").isEqualTo(403);

        String login = JSON.writeValueAsString(Map.of("username", KIM_ADMIN, "password", KIM_ADMIN_PASSWORD,
                "totp", de.tim.routes.admin.Totp.code(totpSecret, de.tim.routes.admin.Totp.step(java.time.Instant.now().getEpochSecond()))));
        HttpResponse<String> session = client.send(HttpRequest.newBuilder(URI.create(registration + "/registration/v1/admin/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).as("admin login: %s", session.body()).isEqualTo(200);
        String accessToken = JSON.readTree(session.body()).get("access_token").asText();

        HttpResponse<String> ordered = client.send(HttpRequest.newBuilder(URI.create(registration + "/registration/v1/messenger-services"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"domain\":\"" + domain + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ordered.statusCode()).as("order of %s: %s", domain, ordered.body()).isEqualTo(201);
        assertThat(JSON.readTree(ordered.body()).get("state").asText()).isEqualTo("ACTIVE");

        // the list the registration service serves to the gateways carries the domain (verified, as the gateway verifies it)
        HttpResponse<String> list = client.send(HttpRequest.newBuilder(URI.create(registration + "/internal/v1/federation-list"))
                .header("Authorization", "Bearer " + java.nio.file.Files.readString(
                        stack.settings().dataDir().resolve("secrets/intern-verification-token")).trim()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        de.tim.crypto.jws.X5cJwsVerifier verifier = new de.tim.crypto.jws.X5cJwsVerifier(
                new de.tim.crypto.x509.CertificateChainValidator(de.tim.crypto.x509.Certificates.readPem(
                        stack.settings().dataDir().resolve("simulators/pki/ti-roots.pem"))),
                java.util.Set.of(de.tim.crypto.jws.TiJwsAlgorithms.BP256R1, com.nimbusds.jose.JWSAlgorithm.ES256), null);
        assertThat(verifier.verify(list.body()).claims().getClaim("domainList").toString()).contains(domain);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(federationRequestStatus(stack, domain))
                        .as("%s accepted by the gateway after its next list fetch", domain).isNotEqualTo(403));
        assertThat(federationRequestStatus(stack, "evil.example")).isEqualTo(403);
    }

    /**
     * The push gateway delivers a notification for the demo app to the simulated FCM, having fetched an
     * access token for the simulated service account; only what a client needs reaches the provider.
     */
    private static void assertPushReachesTheSimulatedProvider(LocalStack stack) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String pushkey = "stack-test-" + UUID.randomUUID();
        String notify = JSON.writeValueAsString(Map.of("notification", Map.of(
                "event_id", "$stack-test", "room_id", "!r:praxis-a.tim.local", "sender", "@anna.schmidt:praxis-a.tim.local",
                "content", Map.of("msgtype", "m.text", "body", "confidential"),
                "counts", Map.of("unread", 1),
                "devices", List.of(Map.of("app_id", LocalStack.DEMO_PUSH_APP, "pushkey", pushkey)))));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.settings().pushPort() + "/_matrix/push/v1/notify"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notify)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("notify: %s", response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("rejected")).isEmpty();
        String received = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.settings().simulatorsPort()
                + "/control/push/received?token=" + pushkey)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(received).contains("$stack-test").doesNotContain("confidential").doesNotContain("anna.schmidt");
    }

    /** A demo user logs in through its domain's gateway and the homeserver knows who it is. */
    private static void assertDemoLoginThroughGateway(LocalStack stack, String userId, int gatewayPort) throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(SslContexts.trusting(List.of(stack.caCertificate())))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String login = JSON.writeValueAsString(Map.of("type", "m.login.password",
                "identifier", Map.of("type", "m.id.user", "user", userId), "password", stack.demoPassword()));
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + gatewayPort + "/_matrix/client/v3/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("login of %s: %s", userId, response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).has("access_token")).as("login answer: %s", response.body()).isTrue();
        String token = JSON.readTree(response.body()).get("access_token").asText();
        HttpResponse<String> whoami = client.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + gatewayPort + "/_matrix/client/v3/account/whoami"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(whoami.statusCode()).as("whoami: %s", whoami.body()).isEqualTo(200);
        assertThat(JSON.readTree(whoami.body()).get("user_id").asText()).isEqualTo(userId);
    }

    /** The retention worker's admin ingress and token per domain reach the homeserver's room deletion API. */
    private static void assertRetentionReachesTheAdminApi(LocalStack stack) throws Exception {
        assertThat(stack.retentionAdmins()).containsOnlyKeys("praxis-a.tim.local", "klinik-b.tim.local");
        HttpClient client = HttpClient.newHttpClient();
        for (var entry : stack.retentionAdmins().entrySet()) {
            String roomId = "!gone" + UUID.randomUUID().toString().substring(0, 8) + ":" + entry.getKey();
            HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(URI.create(entry.getValue().baseUrl()
                    + "/_synapse/admin/v2/rooms/" + java.net.URLEncoder.encode(roomId, java.nio.charset.StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + entry.getValue().token()).header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"purge\":true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            // an unknown room counts as deleted (idempotent for the retention worker); a wrong token or host would not pass
            assertThat(deleted.statusCode()).as("%s: %s", entry.getKey(), deleted.body()).isEqualTo(200);
            HttpResponse<String> unauthenticated = client.send(HttpRequest.newBuilder(URI.create(entry.getValue().baseUrl()
                    + "/_synapse/admin/v1/server_version")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unauthenticated.statusCode()).isEqualTo(401);
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(entry.getValue().baseUrl()
                    + "/_matrix/client/versions")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).as("only the admin API is forwarded").isEqualTo(404);
        }
    }

    /**
     * AF_10103 method 2 in the stack: the registration service finds the organisation of a KIM address in the
     * simulated VZD (search token obtained with the stack's service account, whose OpenID token the VZD checks at the
     * praxis gateway), mails the link to the simulated KIM, and the confirmation creates an admin with an encrypted TOTP.
     */
    private static String assertKimOnboardingCreatesAnAdmin(LocalStack stack) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String registration = "http://localhost:" + stack.settings().registrationPort();
        String kim = "praxis-a@kim.tim.local";
        HttpResponse<String> requested = client.send(HttpRequest.newBuilder(URI.create(registration
                        + "/registration/v1/onboarding/kim")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kimAddress\":\"" + kim + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(requested.statusCode()).as("KIM link request: %s", requested.body()).isEqualTo(202);
        URI mailbox = URI.create("http://localhost:" + stack.settings().simulatorsPort() + "/kim/mailboxes/" + kim + "/messages");
        String mails = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.send(HttpRequest.newBuilder(mailbox).build(), HttpResponse.BodyHandlers.ofString()).body(),
                        body -> KIM_LINK.matcher(body).find());
        java.util.regex.Matcher link = KIM_LINK.matcher(mails);
        assertThat(link.find()).isTrue();
        String confirm = JSON.writeValueAsString(Map.of("token", link.group(1), "username", KIM_ADMIN,
                "password", KIM_ADMIN_PASSWORD));
        HttpResponse<String> confirmed = client.send(HttpRequest.newBuilder(URI.create(registration
                        + "/registration/v1/onboarding/kim/confirm")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(confirm)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).as("KIM confirmation: %s", confirmed.body()).isEqualTo(201);
        String totpSecret = JSON.readTree(confirmed.body()).path("totpSecret").asText();
        assertThat(totpSecret).isNotBlank();
        return totpSecret;
    }

    private static void produce(String bootstrap, String topic, String key) throws Exception {
        // the stack's broker does not create topics on first use: this test's own topic is created here
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, "{}")).get();
        }
    }

    private static List<String> consumeKeys(String bootstrap, String topic, String wanted) {
        List<String> keys = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "stack-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!keys.contains(wanted) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
            }
        }
        return keys;
    }

    static StackSettings settingsOnFreePorts(Path dataDir) {
        Iterator<Integer> ports = FreePorts.allocate(17).iterator();
        return new StackSettings(dataDir, "127.0.0.1", Optional.empty(), Optional.empty(),
                ports.next(), ports.next(), ports.next(), ports.next(), ports.next(), ports.next(), ports.next(), ports.next(),
                ports.next(), ports.next(),
                List.of(new StackSettings.DomainSettings("praxis-a.tim.local", ports.next(), ports.next(), ports.next()),
                        new StackSettings.DomainSettings("klinik-b.tim.local", ports.next(), ports.next(), ports.next())));
    }
}

package de.tim.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.embedded.kafka.EmbeddedKafkaBroker;
import de.tim.embedded.app.OwnApplicationConfig;
import de.tim.embedded.mongo.EmbeddedMongoServer;
import de.tim.embedded.net.FreePorts;
import de.tim.homeserver.HomeserverApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Homeserver benchmark (issue "Matrix homeserver I"): the public "Romeo &amp; Juliet" workload of 3,287
 * sequential sends into one room, and the send → {@code /sync} latency with 200 users long-polling the room.
 * The homeserver runs in this JVM on the in-process MongoDB wire server (memory backend) and a KRaft broker;
 * clients speak HTTP to it. Prints the numbers; asserts nothing.
 *
 * <p>Knobs (system properties): {@code sends} (3287), {@code syncers} (200), {@code rounds} (30).
 */
public final class HomeserverBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bench-proxy-secret";
    private static final String REGISTRATION_SECRET = "bench-registration-secret";

    private final HttpClient http = HttpClient.newBuilder().executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
    private final String base;

    private HomeserverBenchmark(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        int sends = Integer.getInteger("sends", 3287);
        int syncers = Integer.getInteger("syncers", 200);
        int rounds = Integer.getInteger("rounds", 30);
        Path kafkaDir = Files.createTempDirectory("bench-kafka");
        int port = FreePorts.allocate(1).getFirst();
        try (EmbeddedMongoServer mongo = EmbeddedMongoServer.inMemory();
             EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(kafkaDir).build().start();
             ConfigurableApplicationContext homeserver = new SpringApplicationBuilder(HomeserverApplication.class).run(
                     arguments(OwnApplicationConfig.argument(HomeserverApplication.class),
                     "--server.port=" + port, "--server.address=127.0.0.1",
                     "--spring.data.mongodb.uri=" + mongo.connectionString(),
                     "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                     "--tim.homeserver.proxy-secret=" + SECRET,
                     "--tim.homeserver.registration.shared-secret=" + REGISTRATION_SECRET,
                     "--tim.homeserver.rate-limit.enabled=false",
                     "--tim.homeserver.domains[0].server-name=bench.tim.local",
                     "--tim.homeserver.domains[0].hosts[0]=127.0.0.1:" + port,
                     "--logging.level.root=WARN"))) {
            new HomeserverBenchmark("http://127.0.0.1:" + port).run(sends, syncers, rounds);
        }
    }

    /** The fixed arguments plus {@code -Dhomeserver.args} (space separated), e.g. to switch the sync window off. */
    private static String[] arguments(String... fixed) {
        List<String> all = new ArrayList<>(List.of(fixed));
        for (String extra : System.getProperty("homeserver.args", "").trim().split("\\s+")) {
            if (!extra.isEmpty()) {
                all.add(extra);
            }
        }
        return all.toArray(String[]::new);
    }

    /** CPU time of this JVM (homeserver, wire server, broker and the benchmark's clients) in ms. */
    private static double cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    }

    private void run(int sends, int syncers, int rounds) throws Exception {
        String sender = register("romeo");
        String roomId = post("/_matrix/client/v3/createRoom", sender,
                Map.of("preset", "public_chat", "name", "Verona")).get("room_id").asText();

        // 1. sequential sends
        List<Long> sendNanos = new ArrayList<>(sends);
        long begin = System.nanoTime();
        for (int i = 0; i < sends; i++) {
            long t0 = System.nanoTime();
            send(sender, roomId, "line " + i, "r" + i);
            sendNanos.add(System.nanoTime() - t0);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        System.out.printf("sequential sends: %d in %.1f s = %.0f events/s; per send p50 %.1f ms, p99 %.1f ms%n",
                sends, seconds, sends / seconds, percentile(sendNanos, 50) / 1e6, percentile(sendNanos, 99) / 1e6);

        // 2. send -> sync latency with long-polling users
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < syncers; i++) {
            String token = register("reader" + i);
            post("/_matrix/client/v3/join/" + roomId, token, Map.of());
            tokens.add(token);
        }
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, CountDownLatch> arrivals = new ConcurrentHashMap<>();
        for (int r = 0; r < rounds; r++) {
            arrivals.put("ping" + r, new CountDownLatch(syncers));
        }
        List<Thread> threads = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(syncers);
        for (String token : tokens) {
            threads.add(Thread.ofVirtual().start(() -> syncLoop(token, roomId, running, ready, sentAt, latencies, arrivals)));
        }
        ready.await(120, TimeUnit.SECONDS);
        double cpuBefore = cpuMillis();
        for (int r = 0; r < rounds; r++) {
            String marker = "ping" + r;
            sentAt.put(marker, System.nanoTime());
            send(sender, roomId, marker, "p" + r);
            if (!arrivals.get(marker).await(60, TimeUnit.SECONDS)) {
                System.out.printf("round %d: only %d of %d syncers saw the message within 60 s%n", r,
                        syncers - arrivals.get(marker).getCount(), syncers);
            }
        }
        double cpuPerRound = (cpuMillis() - cpuBefore) / rounds;
        running.set(false);
        System.out.printf("send -> /sync with %d long-polling users, %d rounds: %d deliveries, p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                + " CPU %.0f ms per round (whole JVM, machine-load independent)%n",
                syncers, rounds, latencies.size(), percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6,
                percentile(latencies, 100) / 1e6, cpuPerRound);
        threads.forEach(Thread::interrupt);
    }

    private void syncLoop(String token, String roomId, AtomicBoolean running, CountDownLatch ready, Map<String, Long> sentAt,
                          List<Long> latencies, Map<String, CountDownLatch> arrivals) {
        try {
            String since = get("/_matrix/client/v3/sync?timeout=0", token).get("next_batch").asText();
            ready.countDown();
            while (running.get()) {
                JsonNode sync = get("/_matrix/client/v3/sync?timeout=30000&since=" + since, token);
                long now = System.nanoTime();
                since = sync.get("next_batch").asText();
                for (JsonNode event : sync.path("rooms").path("join").path(roomId).path("timeline").path("events")) {
                    String body = event.path("content").path("body").asText("");
                    Long sent = sentAt.get(body);
                    if (sent != null) {
                        latencies.add(now - sent);
                        arrivals.get(body).countDown();
                    }
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                System.out.println("sync loop ended: " + e);
            }
        }
    }

    private void send(String token, String roomId, String body, String txn) throws Exception {
        request("PUT", "/_matrix/client/v3/rooms/" + roomId + "/send/m.room.message/" + txn, token,
                Map.of("msgtype", "m.text", "body", body));
    }

    private String register(String user) throws Exception {
        String nonce = get("/_synapse/admin/v1/register", null).get("nonce").asText();
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(REGISTRATION_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String password = "bench-" + user;
        String hmac = HexFormat.of().formatHex(mac.doFinal((nonce + "\0" + user + "\0" + password + "\0notadmin")
                .getBytes(StandardCharsets.UTF_8)));
        return post("/_synapse/admin/v1/register", null, Map.of("nonce", nonce, "username", user, "password", password,
                "admin", false, "mac", hmac)).get("access_token").asText();
    }

    private JsonNode get(String path, String token) throws Exception {
        return request("GET", path, token, null);
    }

    private JsonNode post(String path, String token, Object body) throws Exception {
        return request("POST", path, token, body);
    }

    private JsonNode request(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("X-Tim-Proxy-Auth", SECRET)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static double percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}

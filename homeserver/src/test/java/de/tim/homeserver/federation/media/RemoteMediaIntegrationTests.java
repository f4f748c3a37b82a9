package de.tim.homeserver.federation.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.homeserver.media.ThumbnailerTests;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Media of other servers through the client API: fetched over federation through the egress (two domains of this
 * process, and remote servers played by the test), streamed to the client while cached, served from the cache
 * afterwards, one fetch for concurrent requests, errors mapped as the spec says.
 */
class RemoteMediaIntegrationTests extends HomeserverIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FETCHES = "tim.homeserver.media.remote.fetches";
    /** {@code tim.homeserver.media.max-upload-size} in application-it.yml. */
    private static final int LIMIT = 6 * 1024 * 1024;

    @Autowired
    private DomainRegistry domains;
    @Autowired
    private MeterRegistry meters;

    private TestUser alice;

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("remote-media");
    }

    record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private Reply get(String host, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Host", host).header("X-Tim-Proxy-Auth", PROXY_SECRET).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }

    private String upload(String host, TestUser user, String contentType, String fileName, byte[] bytes) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/_matrix/media/v3/upload" + (fileName == null ? "" : "?filename=" + fileName)))
                .header("Host", host).header("X-Tim-Proxy-Auth", PROXY_SECRET)
                .header("Authorization", "Bearer " + user.accessToken()).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String uri = JSON.readTree(response.body()).path("content_uri").asText();
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    private MongoDatabase databaseOfA() {
        return domains.byServerName(A).orElseThrow().database();
    }

    private long mediaRequestsTo(String destination, String mediaId) {
        return EGRESS.requests().stream().filter(r -> destination.equals(r.uri().getRawAuthority())
                && r.uri().getRawPath().contains(mediaId)).count();
    }

    private double fetches(String outcome) {
        var counter = meters.find(FETCHES).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    static byte[] multipart(String boundary, String mediaHeaders, byte[] media) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + boundary + "\r\n"
                + mediaHeaders + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(media);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static FakeRemoteServer.Answer multipartAnswer(String mediaHeaders, byte[] media) {
        return new FakeRemoteServer.Answer(200, multipart("b0undary", mediaHeaders, media),
                "multipart/mixed; boundary=b0undary");
    }

    private FakeRemoteServer remote(String prefix) {
        FakeRemoteServer remote = new FakeRemoteServer(prefix + "-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        return remote;
    }

    @Test
    void mediaUploadedOnBIsDownloadedByAUserOfA() throws Exception {
        TestUser bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        byte[] bytes = new byte[2 * 1024 * 1024 + 17];
        new Random(11).nextBytes(bytes);
        String mediaId = upload(B, bob, "application/pdf", "arztbrief.pdf", bytes);

        Reply first = get(A, "/_matrix/client/v1/media/download/b.test/" + mediaId, alice.accessToken());
        assertThat(first.status()).as(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(first.body()).isEqualTo(bytes);
        assertThat(first.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(first.header("Content-Disposition")).isEqualTo("attachment; filename=\"arztbrief.pdf\"");
        assertThat(first.header("Content-Security-Policy")).startsWith("sandbox;");
        // it went through the egress with the federation endpoint, signed
        assertThat(EGRESS.requests()).anySatisfy(r -> {
            assertThat(r.uri().toString()).isEqualTo("http://b.test/_matrix/federation/v1/media/download/" + mediaId
                    + "?timeout_ms=20000");
            assertThat(r.headers().getFirst("Authorization")).startsWith("X-Matrix origin=\"a.test\"");
        });

        // cached on A: served again (with ranges) without asking b.test
        long asked = mediaRequestsTo(B, mediaId);
        Reply again = get(A, "/_matrix/client/v1/media/download/b.test/" + mediaId + "/renamed.pdf", alice.accessToken());
        assertThat(again.body()).isEqualTo(bytes);
        assertThat(again.header("Content-Disposition")).isEqualTo("attachment; filename=\"renamed.pdf\"");
        assertThat(mediaRequestsTo(B, mediaId)).isEqualTo(asked);
        Document cached = databaseOfA().getCollection("media_remote").find(Filters.eq("_id", "b.test/" + mediaId)).first();
        assertThat(cached.getString("state")).isEqualTo("ready");
        assertThat(cached.get("size", Number.class).longValue()).isEqualTo(bytes.length);
        // the cached copy is not A's own media: A does not serve it over federation
        assertThat(databaseOfA().getCollection("media").countDocuments(Filters.eq("_id", mediaId))).isZero();

        // the legacy endpoint (not frozen here) serves remote media too, unless allow_remote=false
        assertThat(get(A, "/_matrix/media/v3/download/b.test/" + mediaId, null).body()).isEqualTo(bytes);
        Reply noRemote = get(A, "/_matrix/media/v3/download/b.test/" + mediaId + "?allow_remote=false", null);
        assertThat(noRemote.status()).isEqualTo(404);
        assertThat(noRemote.json().path("errcode").asText()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void mediaUploadedOnAIsDownloadedByAUserOfBThroughBsClientApi() throws Exception {
        TestUser bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        byte[] bytes = "Befund von Praxis A".getBytes(StandardCharsets.UTF_8);
        String mediaId = upload(A, alice, "text/plain", "befund.txt", bytes);

        Reply reply = get(B, "/_matrix/client/v1/media/download/a.test/" + mediaId, bob.accessToken());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(bytes);
        assertThat(reply.header("Content-Disposition")).isEqualTo("inline; filename=\"befund.txt\"");
        assertThat(EGRESS.requests()).anySatisfy(r -> {
            assertThat(r.uri().toString()).startsWith("http://a.test/_matrix/federation/v1/media/download/" + mediaId);
            assertThat(r.headers().getFirst("Authorization")).startsWith("X-Matrix origin=\"b.test\"");
        });
    }

    @Test
    void thumbnailsOfRemoteMediaComeFromTheOriginsThumbnailEndpoint() throws Exception {
        TestUser bob = register(b(), uniqueLocalpart("bob"), false, "b-shared-secret");
        String mediaId = upload(B, bob, "image/png", null, ThumbnailerTests.imageBytes(500, 300, "png"));

        Reply thumb = get(A, "/_matrix/client/v1/media/thumbnail/b.test/" + mediaId + "?width=30&height=30&method=crop",
                alice.accessToken());
        assertThat(thumb.status()).as(new String(thumb.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(thumb.header("Content-Type")).isEqualTo("image/png");
        var image = ImageIO.read(new ByteArrayInputStream(thumb.body()));
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(32);
        assertThat(EGRESS.requests()).anySatisfy(r -> assertThat(r.uri().toString()).isEqualTo(
                "http://b.test/_matrix/federation/v1/media/thumbnail/" + mediaId
                        + "?width=32&height=32&method=crop&timeout_ms=20000"));
        long asked = mediaRequestsTo(B, mediaId);
        assertThat(get(A, "/_matrix/client/v1/media/thumbnail/b.test/" + mediaId + "?width=32&height=32&method=crop",
                alice.accessToken()).body()).isEqualTo(thumb.body());
        assertThat(mediaRequestsTo(B, mediaId)).isEqualTo(asked);
    }

    @Test
    void concurrentDownloadsShareOneFetch() throws Exception {
        FakeRemoteServer remote = remote("slow");
        byte[] bytes = new byte[300_000];
        new Random(5).nextBytes(bytes);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        remote.on("/_matrix/federation/v1/media/download/shared1", request -> {
            calls.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return multipartAnswer("Content-Type: image/jpeg", bytes);
        });
        double joinedBefore = fetches("joined");
        int clients = 4;
        List<CompletableFuture<Reply>> downloads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            downloads.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get(A, "/_matrix/client/v1/media/download/" + remote.serverName() + "/shared1",
                            alice.accessToken());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fetches("joined") - joinedBefore >= clients - 1);
        release.countDown();
        for (CompletableFuture<Reply> download : downloads) {
            Reply reply = download.get(30, TimeUnit.SECONDS);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(bytes);
            assertThat(reply.header("Content-Type")).isEqualTo("image/jpeg");
        }
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void tooLargeMediaIsRefusedAndNotCached() throws Exception {
        FakeRemoteServer remote = remote("large");
        byte[] big = new byte[LIMIT + 1000];
        remote.on("/_matrix/federation/v1/media/download/announced", r -> multipartAnswer(
                "Content-Type: application/octet-stream\r\nContent-Length: " + big.length, big));
        remote.on("/_matrix/federation/v1/media/download/unannounced", r -> multipartAnswer(
                "Content-Type: application/octet-stream", big));
        remote.on("/_matrix/federation/v1/media/download/refused", r -> new FakeRemoteServer.Answer(502,
                "{\"errcode\":\"M_TOO_LARGE\",\"error\":\"too large\"}".getBytes(StandardCharsets.UTF_8)));

        for (String id : new String[] {"announced", "refused"}) {
            Reply reply = get(A, "/_matrix/client/v1/media/download/" + remote.serverName() + "/" + id, alice.accessToken());
            assertThat(reply.status()).as(id).isEqualTo(502);
            assertThat(reply.json().path("errcode").asText()).as(id).isEqualTo("M_TOO_LARGE");
        }
        // without an announced length the limit is hit while streaming: the answer is cut off
        try {
            Reply cut = get(A, "/_matrix/client/v1/media/download/" + remote.serverName() + "/unannounced",
                    alice.accessToken());
            assertThat(cut.body().length).isLessThan(big.length);
        } catch (IOException e) {
            // the connection was aborted: equally fine
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> databaseOfA().getCollection("media_remote")
                .countDocuments(Filters.regex("_id", "^" + remote.serverName().replace(".", "\\.") + "/")) == 0);
    }

    @Test
    void aStreamCutAtTheSizeLimitClosesTheConnectionWithoutStackTraces() throws Exception {
        FakeRemoteServer remote = remote("cut");
        byte[] big = new byte[LIMIT + 1000];
        remote.on("/_matrix/federation/v1/media/download/unannounced", r -> multipartAnswer(
                "Content-Type: application/octet-stream", big));
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            // the headers and the first bytes were sent: the client sees the connection cut, not a complete body
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(A, "/_matrix/client/v1/media/download/"
                    + remote.serverName() + "/unannounced", alice.accessToken())).isInstanceOf(IOException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> events(logs).stream().anyMatch(e ->
                    e.getLoggerName().endsWith("MatrixExceptionAdvice")));
        } finally {
            root.detachAppender(logs);
        }
        var events = events(logs);
        assertThat(events).filteredOn(e -> e.getLoggerName().endsWith("MatrixExceptionAdvice")).singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                    assertThat(e.getFormattedMessage()).contains("M_TOO_LARGE").doesNotContain(remote.serverName());
                    assertThat(e.getThrowableProxy()).isNull();
                });
        // no stack trace and no error from Spring or the container
        assertThat(events).noneMatch(e -> e.getThrowableProxy() != null
                && e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
        assertThat(events).noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR);
        // nothing cached: no record, no file
        await().atMost(Duration.ofSeconds(10)).until(() -> databaseOfA().getCollection("media_remote")
                .countDocuments(Filters.eq("_id", remote.serverName() + "/unannounced")) == 0);
        assertThat(databaseOfA().getCollection("media_files.files")
                .countDocuments(Filters.eq("filename", "remote/" + remote.serverName() + "/unannounced"))).isZero();
        // the server is fine afterwards: the next request is answered normally
        remote.on("/_matrix/federation/v1/media/download/small", r -> multipartAnswer("Content-Type: text/plain",
                "small".getBytes(StandardCharsets.UTF_8)));
        Reply again = get(A, "/_matrix/client/v1/media/download/" + remote.serverName() + "/small", alice.accessToken());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("small".getBytes(StandardCharsets.UTF_8));
    }

    private static List<ch.qos.logback.classic.spi.ILoggingEvent> events(
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs) {
        synchronized (logs) {
            return new ArrayList<>(logs.list);
        }
    }

    @Test
    void remoteErrorsAreMapped() throws Exception {
        FakeRemoteServer remote = remote("errors");
        remote.on("/_matrix/federation/v1/media/download/missing", r -> new FakeRemoteServer.Answer(404,
                "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"no\"}".getBytes(StandardCharsets.UTF_8)));
        remote.on("/_matrix/federation/v1/media/download/broken", r -> new FakeRemoteServer.Answer(200,
                "not multipart".getBytes(StandardCharsets.UTF_8), "text/plain"));
        remote.on("/_matrix/federation/v1/media/download/pending", r -> new FakeRemoteServer.Answer(504,
                "{\"errcode\":\"M_NOT_YET_UPLOADED\",\"error\":\"wait\"}".getBytes(StandardCharsets.UTF_8)));
        String base = "/_matrix/client/v1/media/download/" + remote.serverName() + "/";
        Reply missing = get(A, base + "missing", alice.accessToken());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("errcode").asText()).isEqualTo("M_NOT_FOUND");
        Reply broken = get(A, base + "broken", alice.accessToken());
        assertThat(broken.status()).isEqualTo(502);
        assertThat(broken.json().path("errcode").asText()).isEqualTo("M_UNKNOWN");
        Reply pending = get(A, base + "pending?timeout_ms=0", alice.accessToken());
        assertThat(pending.status()).isEqualTo(504);
        assertThat(pending.json().path("errcode").asText()).isEqualTo("M_NOT_YET_UPLOADED");
        // a server the egress cannot reach
        Reply down = get(A, "/_matrix/client/v1/media/download/unreachable.test/someMedia", alice.accessToken());
        assertThat(down.status()).isEqualTo(502);
        assertThat(down.json().path("errcode").asText()).isEqualTo("M_UNKNOWN");
        // no token, no remote fetch
        assertThat(get(A, base + "missing", null).status()).isEqualTo(401);
    }

    @Test
    void aLocationIsFollowedThroughTheEgressUnsigned() throws Exception {
        FakeRemoteServer remote = remote("redirecting");
        byte[] bytes = "behind a redirect".getBytes(StandardCharsets.UTF_8);
        remote.on("/_matrix/federation/v1/media/download/moved", r -> multipartAnswer(
                "Location: https://" + remote.serverName() + "/_matrix/media/v3/cdn/moved?sig=abc", new byte[0]));
        remote.on("/_matrix/media/v3/cdn/moved", r -> new FakeRemoteServer.Answer(200, bytes, "text/plain"));
        remote.on("/_matrix/federation/v1/media/download/elsewhere", r -> multipartAnswer(
                "Location: https://cdn.example/files/elsewhere", new byte[0]));

        Reply reply = get(A, "/_matrix/client/v1/media/download/" + remote.serverName() + "/moved", alice.accessToken());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(bytes);
        assertThat(reply.header("Content-Type")).isEqualTo("text/plain");
        assertThat(EGRESS.requests()).anySatisfy(r -> {
            assertThat(r.uri().toString()).isEqualTo("http://" + remote.serverName() + "/_matrix/media/v3/cdn/moved?sig=abc");
            assertThat(r.headers().getFirst("Authorization")).isNull();
        });
        // a target the egress would not forward is not requested at all
        Reply elsewhere = get(A, "/_matrix/client/v1/media/download/" + remote.serverName() + "/elsewhere",
                alice.accessToken());
        assertThat(elsewhere.status()).isEqualTo(502);
        assertThat(EGRESS.requests()).noneSatisfy(r -> assertThat(r.uri().getHost()).isEqualTo("cdn.example"));
    }

    @Test
    void serversWithoutFederationMediaAreAskedTheLegacyEndpoint() throws Exception {
        FakeRemoteServer remote = remote("old");
        byte[] bytes = "legacy bytes".getBytes(StandardCharsets.UTF_8);
        // the federation path is unknown there: the fake answers 404 M_UNRECOGNIZED
        remote.on("/_matrix/media/v3/download/" + remote.serverName() + "/oldMedia", r -> {
            assertThat(r.pathAndQuery()).contains("allow_remote=false");
            return new FakeRemoteServer.Answer(200, bytes, "text/plain");
        });
        Reply reply = get(A, "/_matrix/client/v1/media/download/" + remote.serverName() + "/oldMedia", alice.accessToken());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(bytes);
    }
}

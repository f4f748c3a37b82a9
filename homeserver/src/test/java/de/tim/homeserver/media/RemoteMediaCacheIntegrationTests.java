package de.tim.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeRemoteServer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Housekeeping of the remote media cache ({@link RemoteMediaExpiry} through {@link MediaExpiry}): copies unused for
 * {@code remote-cache-retention} (default 30d) go with their thumbnails and are fetched again on the next request;
 * a download keeps a copy; stale {@code fetching} records of interrupted fetches go with the file they left, fresh
 * ones (a fetch under way) stay. Time is moved by back-dating the records, the pass is run directly.
 */
class RemoteMediaCacheIntegrationTests extends HomeserverIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final long DAY = Duration.ofDays(1).toMillis();

    @Autowired
    private DomainRegistry domains;
    @Autowired
    private MediaExpiry expiry;
    @Autowired
    private MediaStore store;

    private TestUser alice;
    private FakeRemoteServer remote;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        EGRESS.forwardTo(port, A, B);
        alice = registerA("remote-cache");
        remote = new FakeRemoteServer("cache-" + System.nanoTime() % 1_000_000 + ".test");
        EGRESS.register(remote);
    }

    private byte[] serve(String mediaId) {
        byte[] bytes = ("bytes of " + mediaId).getBytes(StandardCharsets.UTF_8);
        remote.on("/_matrix/federation/v1/media/download/" + mediaId, r -> {
            calls.computeIfAbsent(mediaId, k -> new AtomicInteger()).incrementAndGet();
            return multipart("Content-Type: text/plain", bytes);
        });
        return bytes;
    }

    private static FakeRemoteServer.Answer multipart(String mediaHeaders, byte[] media) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--b0undary\r\nContent-Type: application/json\r\n\r\n{}\r\n--b0undary\r\n" + mediaHeaders
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(media);
        out.writeBytes("\r\n--b0undary--\r\n".getBytes(StandardCharsets.US_ASCII));
        return new FakeRemoteServer.Answer(200, out.toByteArray(), "multipart/mixed; boundary=b0undary");
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Host", A)
                .header("X-Tim-Proxy-Auth", PROXY_SECRET).header("Authorization", "Bearer " + alice.accessToken())
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> download(String mediaId) throws Exception {
        return get("/_matrix/client/v1/media/download/" + remote.serverName() + "/" + mediaId);
    }

    private Domain domainA() {
        return domains.byServerName(A).orElseThrow();
    }

    private MongoDatabase db() {
        return domainA().database();
    }

    private String id(String mediaId) {
        return remote.serverName() + "/" + mediaId;
    }

    private Document record(String mediaId) {
        return db().getCollection("media_remote").find(Filters.eq("_id", id(mediaId))).first();
    }

    private void lastAccess(String mediaId, long ts) {
        db().getCollection("media_remote").updateOne(Filters.eq("_id", id(mediaId)), Updates.set("last_access_ts", ts));
    }

    private boolean fileExists(String fileId) {
        return db().getCollection("media_files.files").countDocuments(Filters.eq("_id", new ObjectId(fileId))) == 1;
    }

    private int calls(String mediaId) {
        return calls.getOrDefault(mediaId, new AtomicInteger()).get();
    }

    @Test
    void copiesAndThumbnailsUnusedForTheRetentionAreSweptAndFetchedAgain() throws Exception {
        byte[] old = serve("oldMedia");
        byte[] recent = serve("recentMedia");
        byte[] thumbBytes = ThumbnailerTests.imageBytes(40, 40, "png");
        remote.on("/_matrix/federation/v1/media/thumbnail/oldMedia", r -> multipart("Content-Type: image/png", thumbBytes));
        assertThat(download("oldMedia").body()).isEqualTo(old);
        assertThat(download("recentMedia").body()).isEqualTo(recent);
        assertThat(get("/_matrix/client/v1/media/thumbnail/" + remote.serverName() + "/oldMedia?width=32&height=32&method=crop")
                .body()).isEqualTo(thumbBytes);
        assertThat(record("oldMedia").get("last_access_ts", Number.class)).isNotNull();
        String oldFile = record("oldMedia").getString("file_id");
        String recentFile = record("recentMedia").getString("file_id");
        Document thumbnail = db().getCollection("media_thumbnails")
                .find(Filters.eq("media_id", "remote/" + id("oldMedia"))).first();
        assertThat(thumbnail).isNotNull();

        lastAccess("oldMedia", System.currentTimeMillis() - 31 * DAY);
        lastAccess("recentMedia", System.currentTimeMillis() - 29 * DAY);
        db().getCollection("media_thumbnails").updateOne(Filters.eq("_id", thumbnail.getString("_id")),
                Updates.set("last_access_ts", System.currentTimeMillis() - 31 * DAY));
        expiry.expire(domainA());

        assertThat(record("oldMedia")).isNull();
        assertThat(fileExists(oldFile)).isFalse();
        assertThat(db().getCollection("media_thumbnails").countDocuments(Filters.eq("_id", thumbnail.getString("_id"))))
                .isZero();
        assertThat(fileExists(thumbnail.getString("file_id"))).isFalse();
        assertThat(record("recentMedia").getString("state")).isEqualTo("ready");
        assertThat(fileExists(recentFile)).isTrue();

        // the swept copy is fetched again; the kept one is still served from the cache
        HttpResponse<byte[]> again = download("oldMedia");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(old);
        assertThat(calls("oldMedia")).isEqualTo(2);
        assertThat(record("oldMedia").getString("state")).isEqualTo("ready");
        assertThat(download("recentMedia").body()).isEqualTo(recent);
        assertThat(calls("recentMedia")).isEqualTo(1);
        // a second pass changes nothing
        expiry.expire(domainA());
        assertThat(record("oldMedia").getString("state")).isEqualTo("ready");
        assertThat(record("recentMedia").getString("state")).isEqualTo("ready");
    }

    @Test
    void aDownloadRecordsTheAccessSoTheCopyIsKept() throws Exception {
        byte[] bytes = serve("usedMedia");
        assertThat(download("usedMedia").body()).isEqualTo(bytes);
        lastAccess("usedMedia", System.currentTimeMillis() - 31 * DAY);

        assertThat(download("usedMedia").body()).isEqualTo(bytes);
        assertThat(record("usedMedia").get("last_access_ts", Number.class).longValue())
                .isGreaterThan(System.currentTimeMillis() - DAY);
        expiry.expire(domainA());

        assertThat(record("usedMedia").getString("state")).isEqualTo("ready");
        assertThat(download("usedMedia").body()).isEqualTo(bytes);
        assertThat(calls("usedMedia")).isEqualTo(1);
    }

    @Test
    void thumbnailsCachedWithoutTheirMediaExpireByTheirOwnLastAccess() throws Exception {
        byte[] thumbBytes = ThumbnailerTests.imageBytes(40, 40, "png");
        AtomicInteger thumbnailCalls = new AtomicInteger();
        for (String mediaId : new String[] {"thumbOld", "thumbUsed"}) {
            remote.on("/_matrix/federation/v1/media/thumbnail/" + mediaId, r -> {
                thumbnailCalls.incrementAndGet();
                return multipart("Content-Type: image/png", thumbBytes);
            });
        }
        String query = "?width=96&height=96&method=crop";
        String base = "/_matrix/client/v1/media/thumbnail/" + remote.serverName() + "/";
        assertThat(get(base + "thumbOld" + query).body()).isEqualTo(thumbBytes);
        assertThat(get(base + "thumbUsed" + query).body()).isEqualTo(thumbBytes);
        var thumbnails = db().getCollection("media_thumbnails");
        Document old = thumbnails.find(Filters.eq("media_id", "remote/" + id("thumbOld"))).first();
        Document used = thumbnails.find(Filters.eq("media_id", "remote/" + id("thumbUsed"))).first();
        assertThat(old.get("last_access_ts", Number.class)).isNotNull();
        long longAgo = System.currentTimeMillis() - 31 * DAY;
        thumbnails.updateOne(Filters.eq("_id", old.getString("_id")), Updates.set("last_access_ts", longAgo));
        thumbnails.updateOne(Filters.eq("_id", used.getString("_id")), Updates.set("last_access_ts", longAgo));
        // served once more: its access is recorded
        assertThat(get(base + "thumbUsed" + query).body()).isEqualTo(thumbBytes);

        expiry.expire(domainA());

        assertThat(thumbnails.countDocuments(Filters.eq("_id", old.getString("_id")))).isZero();
        assertThat(fileExists(old.getString("file_id"))).isFalse();
        assertThat(thumbnails.countDocuments(Filters.eq("_id", used.getString("_id")))).isOne();
        assertThat(fileExists(used.getString("file_id"))).isTrue();
        assertThat(thumbnailCalls.get()).isEqualTo(2);
        assertThat(get(base + "thumbOld" + query).body()).isEqualTo(thumbBytes);
        assertThat(thumbnailCalls.get()).isEqualTo(3);
        assertThat(get(base + "thumbUsed" + query).body()).isEqualTo(thumbBytes);
        assertThat(thumbnailCalls.get()).isEqualTo(3);
    }

    @Test
    void staleFetchingRecordsAreRemovedWithTheirFilesAndNeverBlockAFetch() throws Exception {
        long now = System.currentTimeMillis();
        long twoHoursAgo = now - Duration.ofHours(2).toMillis();
        var remoteMedia = db().getCollection("media_remote");
        // a fetch interrupted after its bytes were stored: record and file stay behind
        remoteMedia.insertOne(new Document("_id", id("crashed")).append("state", "fetching")
                .append("started_ts", twoHoursAgo).append("attempt", "gone"));
        String strayFile = store.store(db(), "remote/" + id("crashed"), new ByteArrayInputStream(new byte[1000]), 10_000)
                .fileId();
        db().getCollection("media_files.files").updateOne(Filters.eq("_id", new ObjectId(strayFile)),
                Updates.set("uploadDate", new Date(twoHoursAgo)));
        // a fetch under way on another instance
        remoteMedia.insertOne(new Document("_id", id("running")).append("state", "fetching")
                .append("started_ts", now).append("attempt", "live"));
        String runningFile = store.store(db(), "remote/" + id("running"), new ByteArrayInputStream(new byte[10]), 10_000)
                .fileId();
        // a stale record does not keep a request from fetching
        remoteMedia.insertOne(new Document("_id", id("retried")).append("state", "fetching")
                .append("started_ts", twoHoursAgo).append("attempt", "gone"));
        byte[] retried = serve("retried");
        assertThat(download("retried").body()).isEqualTo(retried);
        assertThat(record("retried").getString("state")).isEqualTo("ready");

        expiry.expire(domainA());

        assertThat(record("crashed")).isNull();
        assertThat(fileExists(strayFile)).isFalse();
        assertThat(record("running").getString("state")).isEqualTo("fetching");
        assertThat(fileExists(runningFile)).isTrue();
        assertThat(record("retried").getString("state")).isEqualTo("ready");
        assertThat(fileExists(record("retried").getString("file_id"))).isTrue();

        // the next request fetches the crashed media again
        byte[] crashed = serve("crashed");
        HttpResponse<byte[]> reply = download("crashed");
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo(crashed);
        assertThat(record("crashed").getString("state")).isEqualTo("ready");
        expiry.expire(domainA());
        assertThat(record("crashed").getString("state")).isEqualTo("ready");
    }
}

package de.tim.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Media deleted with the rooms that reference it (admin purge, as the retention worker uses it), the
 * Synapse media admin API, and the expiry job's interrupted deletions and abandoned GridFS chunks.
 */
class MediaPurgeIntegrationTests extends RoomTestSupport {

    private static final String ADMIN = "/_synapse/admin";
    private static final String DOWNLOAD = "/_matrix/client/v1/media/download/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Autowired
    DomainRegistry domains;
    @Autowired
    MediaExpiry expiry;
    @Autowired
    MediaStore store;

    @Test
    void purgingARoomDeletesItsMediaButKeepsMediaOtherRoomsStillReference() throws Exception {
        TestUser admin = adminA();
        TestUser alice = registerA("purge-media");
        String image = upload(alice, "image/png", ThumbnailerTests.imageBytes(200, 100, "png"));
        String thumb = upload(alice, "image/png", ThumbnailerTests.imageBytes(20, 10, "png"));
        String edited = upload(alice, "application/pdf", random(3000));
        String encrypted = upload(alice, "application/octet-stream", random(1000));
        String avatar = upload(alice, "image/png", ThumbnailerTests.imageBytes(8, 8, "png"));
        String shared = upload(alice, "text/plain", random(100));
        String room = createRoom(alice);
        String other = createRoom(alice);

        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.image", "body", "x.png", "url", image,
                "info", map("thumbnail_url", thumb, "mimetype", "image/png"))));
        String file = ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.text", "body", "draft"))).text("event_id");
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "* edit",
                "m.new_content", map("msgtype", "m.file", "body", "scan.pdf", "url", edited),
                "m.relates_to", map("rel_type", "m.replace", "event_id", file))));
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "secret",
                "file", map("url", encrypted, "v", "v2"))));
        ok(putState(alice, room, "m.room.avatar", "", map("url", avatar)));
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "shared", "url", shared)));
        ok(sendRaw(alice, other, "m.room.message", map("msgtype", "m.file", "body", "shared", "url", shared)));
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "remote", "url", "mxc://b.test/remoteMedia")));
        assertThat(download(alice, image)).isEqualTo(200);
        assertThat(thumbnail(alice, image)).isEqualTo(200);
        assertThat(thumbnailRecords(image)).isPositive();

        MatrixTestClient.Response media = a().get(ADMIN + "/v1/room/" + enc(room) + "/media", admin.accessToken());
        assertThat(media.status()).as(media.raw()).isEqualTo(200);
        assertThat(strings(media.body().path("local"))).containsExactlyInAnyOrder(image, thumb, edited, encrypted, avatar, shared);
        assertThat(strings(media.body().path("remote"))).containsExactly("mxc://b.test/remoteMedia");
        assertThat(a().get(ADMIN + "/v1/room/" + enc(room) + "/media", alice.accessToken()).status()).isEqualTo(403);

        purge(admin, room);

        for (String gone : List.of(image, thumb, edited, encrypted, avatar)) {
            assertThat(download(alice, gone)).as(gone).isEqualTo(404);
            assertThat(metadata(gone)).as(gone).isNull();
            assertThat(files(gone)).as(gone).isZero();
        }
        assertThat(thumbnailRecords(image)).isZero();
        assertThat(db().getCollection("media_files.files").countDocuments(Filters.regex("filename", "^" + id(image) + "/")))
                .isZero();
        assertThat(download(alice, shared)).isEqualTo(200);
        assertThat(db().getCollection(MediaReferenceRepository.REFERENCES).countDocuments(Filters.eq("owner", room))).isZero();

        purge(admin, other);
        assertThat(download(alice, shared)).isEqualTo(404);
        assertThat(metadata(shared)).isNull();
        assertThat(files(shared)).isZero();
    }

    @Test
    void anInterruptedPurgeIsCompletedByItsRerunAndNoReferencedMediaIsLost() throws Exception {
        TestUser admin = adminA();
        TestUser alice = registerA("purge-rerun");
        String half = upload(alice, "text/plain", random(500));
        String kept = upload(alice, "text/plain", random(600));
        String room = createRoom(alice);
        String other = createRoom(alice);
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "a", "url", half)));
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "b", "url", kept)));
        ok(sendRaw(alice, other, "m.room.message", map("msgtype", "m.file", "body", "b", "url", kept)));
        // a purge killed after the bytes of one media item were deleted: record still there (deleting),
        // the room, its events and its references too
        Document record = metadata(half);
        db().getCollection("media").updateOne(Filters.eq("_id", id(half)), Updates.set("state", "deleting"));
        store.delete(db(), record.getString("file_id"));
        assertThat(download(alice, half)).isEqualTo(404);

        purge(admin, room);
        assertThat(metadata(half)).isNull();
        assertThat(download(alice, kept)).isEqualTo(200);
        purge(admin, room);
        assertThat(download(alice, kept)).isEqualTo(200);
        assertThat(strings(a().get(ADMIN + "/v1/room/" + enc(other) + "/media", admin.accessToken()).body().path("local")))
                .containsExactly(kept);
    }

    @Test
    void mediaFromBeforeReferenceTrackingIsFoundByScanningThePurgedRoomsEvents() throws Exception {
        TestUser admin = adminA();
        TestUser alice = registerA("purge-legacy");
        String legacy = upload(alice, "text/plain", random(700));
        String room = createRoom(alice);
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "old", "url", legacy)));
        // as if the event had been stored before references were recorded
        db().getCollection(MediaReferenceRepository.REFERENCES).deleteMany(Filters.eq("owner", room));
        purge(admin, room);
        assertThat(metadata(legacy)).isNull();
        assertThat(files(legacy)).isZero();
    }

    @Test
    void aCurrentProfileAvatarSurvivesThePurgeOfARoomShowingIt() throws Exception {
        TestUser admin = adminA();
        TestUser alice = registerA("purge-avatar");
        String avatar = upload(alice, "image/png", ThumbnailerTests.imageBytes(8, 8, "png"));
        String room = createRoom(alice);
        ok(a().put(CS + "/profile/" + enc(alice.userId()) + "/avatar_url", alice.accessToken(), map("avatar_url", avatar)));
        assertThat(strings(a().get(ADMIN + "/v1/room/" + enc(room) + "/media", admin.accessToken()).body().path("local")))
                .as("the member event carries the avatar").containsExactly(avatar);
        // as if the avatar had been set before profile references were tracked
        MongoCollection<Document> refs = db().getCollection(MediaReferenceRepository.REFERENCES);
        refs.deleteMany(Filters.eq("owner", MediaReferenceRepository.PROFILE + alice.userId()));
        refs.deleteOne(Filters.eq("_id", "marker:profiles-backfilled"));
        backfill.backfill(domains.byServerName(A).orElseThrow());
        assertThat(refs.countDocuments(Filters.eq("owner", MediaReferenceRepository.PROFILE + alice.userId()))).isEqualTo(1);

        purge(admin, room);
        assertThat(download(alice, avatar)).isEqualTo(200);
    }

    @Autowired
    ProfileReferenceBackfill backfill;

    @Test
    void anErasedUsersAvatarNoLongerKeepsItsMediaFromThePurge() throws Exception {
        TestUser admin = adminA();
        TestUser alice = registerA("purge-erased");
        String avatar = upload(alice, "image/png", ThumbnailerTests.imageBytes(8, 8, "png"));
        String room = createRoom(alice);
        ok(a().put(CS + "/profile/" + enc(alice.userId()) + "/avatar_url", alice.accessToken(), map("avatar_url", avatar)));
        MongoCollection<Document> refs = db().getCollection(MediaReferenceRepository.REFERENCES);
        assertThat(refs.countDocuments(Filters.eq("owner", MediaReferenceRepository.PROFILE + alice.userId()))).isEqualTo(1);

        ok(a().post(ADMIN + "/v1/deactivate/" + enc(alice.userId()), admin.accessToken(), map("erase", true)));
        assertThat(refs.countDocuments(Filters.eq("owner", MediaReferenceRepository.PROFILE + alice.userId())))
                .as("the erased profile no longer references its avatar").isZero();

        purge(admin, room);
        assertThat(metadata(avatar)).as("only the purged room showed the avatar").isNull();
    }

    @Test
    void adminDeletesOneMediaItem() throws Exception {
        TestUser admin = adminA();
        TestUser alice = registerA("media-admin");
        String uri = upload(alice, "image/png", ThumbnailerTests.imageBytes(100, 100, "png"));
        assertThat(thumbnail(alice, uri)).isEqualTo(200);
        String path = ADMIN + "/v1/media/" + uri.substring(6);

        assertThat(a().delete(path, alice.accessToken(), null).status()).isEqualTo(403);
        assertThat(a().delete(path, null, null).status()).isEqualTo(401);
        TestUser bAdmin = register(b(), uniqueLocalpart("badmin"), true, "b-shared-secret");
        MatrixTestClient.Response foreign = b().delete(path, bAdmin.accessToken(), null);
        assertThat(foreign.status()).as(foreign.raw()).isEqualTo(400);
        assertThat(download(alice, uri)).isEqualTo(200);

        MatrixTestClient.Response deleted = a().delete(path, admin.accessToken(), null);
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        assertThat(strings(deleted.body().path("deleted_media"))).containsExactly(id(uri));
        assertThat(deleted.body().path("total").asInt()).isEqualTo(1);
        assertThat(download(alice, uri)).isEqualTo(404);
        assertThat(metadata(uri)).isNull();
        assertThat(files(uri)).isZero();
        assertThat(thumbnailRecords(uri)).isZero();
        assertThat(a().delete(path, admin.accessToken(), null).errcode()).isEqualTo("M_NOT_FOUND");
        assertThat(a().delete(ADMIN + "/v1/media/b.test/abc", admin.accessToken(), null).status()).isEqualTo(400);
        assertThat(a().delete(ADMIN + "/v1/media/a.test/bad%20id", admin.accessToken(), null).status()).isEqualTo(404);
    }

    @Test
    void adminDeletesMediaBeforeATimestampKeepingProfileAvatars() throws Exception {
        TestUser admin = adminA();
        TestUser alice = registerA("media-before");
        int big = 5 * 1024 * 1024;
        String plain = upload(alice, "application/octet-stream", random(big + 1));
        String avatar = upload(alice, "application/octet-stream", random(big + 2));
        String small = upload(alice, "text/plain", random(10));
        ok(a().put(CS + "/profile/" + enc(alice.userId()) + "/avatar_url", alice.accessToken(), map("avatar_url", avatar)));
        long before = metadata(small).getLong("created_ts") + 1;
        String path = ADMIN + "/v1/media/delete?size_gt=" + big + "&before_ts=" + before;

        assertThat(a().post(path, alice.accessToken(), map()).status()).isEqualTo(403);
        assertThat(a().post(ADMIN + "/v1/media/delete", admin.accessToken(), map()).errcode()).isEqualTo("M_MISSING_PARAM");
        assertThat(a().post(ADMIN + "/v1/media/delete?before_ts=1000", admin.accessToken(), map()).errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(a().post(ADMIN + "/v1/media/delete?before_ts=x", admin.accessToken(), map()).errcode())
                .isEqualTo("M_INVALID_PARAM");
        assertThat(a().post(path + "&keep_profiles=maybe", admin.accessToken(), map()).errcode()).isEqualTo("M_INVALID_PARAM");
        assertThat(a().post(ADMIN + "/v1/media/b.test/delete?before_ts=" + before, admin.accessToken(), map()).status())
                .isEqualTo(400);

        assertThat(a().post(ADMIN + "/v1/media/a.test/delete?before_ts=" + before, alice.accessToken(), map()).status())
                .isEqualTo(403);
        TestUser bAdmin = register(b(), uniqueLocalpart("badmin"), true, "b-shared-secret");
        assertThat(b().post(ADMIN + "/v1/media/a.test/delete?before_ts=" + before, bAdmin.accessToken(), map()).status())
                .isEqualTo(400);
        assertThat(b().post(path, bAdmin.accessToken(), map()).status()).isEqualTo(200);
        assertThat(download(alice, plain)).as("another domain's admin deletes only its own media").isEqualTo(200);

        MatrixTestClient.Response deleted = a().post(path, admin.accessToken(), map());
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        assertThat(strings(deleted.body().path("deleted_media"))).contains(id(plain)).doesNotContain(id(avatar), id(small));
        assertThat(deleted.body().path("total").asInt()).isEqualTo(deleted.body().path("deleted_media").size());
        assertThat(download(alice, plain)).isEqualTo(404);
        assertThat(download(alice, avatar)).isEqualTo(200);
        assertThat(download(alice, small)).isEqualTo(200);

        MatrixTestClient.Response all = a().post(ADMIN + "/v1/media/a.test/delete?keep_profiles=false&size_gt=" + big
                + "&before_ts=" + before, admin.accessToken(), map());
        assertThat(all.status()).as(all.raw()).isEqualTo(200);
        assertThat(strings(all.body().path("deleted_media"))).contains(id(avatar));
        assertThat(download(alice, avatar)).isEqualTo(404);
    }

    @Test
    void expiryFinishesInterruptedDeletionsAndSweepsAbandonedChunks() throws Exception {
        TestUser alice = registerA("media-expiry");
        String interrupted = upload(alice, "text/plain", random(300));
        db().getCollection("media").updateOne(Filters.eq("_id", id(interrupted)), Updates.set("state", "deleting"));
        assertThat(download(alice, interrupted)).isEqualTo(404);
        Domain domain = domains.byServerName(A).orElseThrow();
        expiry.expire(domain);
        assertThat(metadata(interrupted)).isNull();
        assertThat(files(interrupted)).isZero();

        // chunks of an upload killed before its files document: swept once older than the age
        MongoDatabase db = freshDatabase();
        MongoCollection<Document> chunks = db.getCollection("media_files.chunks");
        long now = System.currentTimeMillis();
        ObjectId old = new ObjectId(new java.util.Date(now - 2 * 86_400_000L));
        ObjectId recent = new ObjectId(new java.util.Date(now - 60_000));
        chunks.insertOne(new Document("files_id", old).append("n", 0).append("data", new Binary(new byte[] {1})));
        chunks.insertOne(new Document("files_id", old).append("n", 1).append("data", new Binary(new byte[] {2})));
        chunks.insertOne(new Document("files_id", recent).append("n", 0).append("data", new Binary(new byte[] {3})));
        MediaStore.StoredFile complete = store.store(db, "complete", new java.io.ByteArrayInputStream(random(10)), 100);
        db.getCollection("media_files.files").updateOne(Filters.eq("_id", new ObjectId(complete.fileId())),
                Updates.set("uploadDate", new java.util.Date(now - 3 * 86_400_000L)));

        assertThat(store.deleteAbandoned(db, now - 86_400_000L)).isEqualTo(1);
        assertThat(chunks.countDocuments(Filters.eq("files_id", old))).isZero();
        assertThat(chunks.countDocuments(Filters.eq("files_id", recent))).isEqualTo(1);
        assertThat(chunks.countDocuments(Filters.eq("files_id", new ObjectId(complete.fileId())))).isEqualTo(1);
        // the next pass only looks at uploads started since the last bound
        assertThat(store.deleteAbandoned(db, now + 1000)).isEqualTo(1);
        assertThat(chunks.countDocuments(Filters.eq("files_id", recent))).isZero();
        assertThat(chunks.countDocuments(Filters.eq("files_id", new ObjectId(complete.fileId())))).isEqualTo(1);
    }

    @Test
    void mediaNeverReferencedIsSweptAfterTheConfiguredAgeOnly() throws Exception {
        TestUser alice = registerA("media-unreferenced");
        String orphan = upload(alice, "text/plain", random(40));
        String inRoom = upload(alice, "text/plain", random(41));
        String avatar = upload(alice, "image/png", ThumbnailerTests.imageBytes(8, 8, "png"));
        String legacy = upload(alice, "text/plain", random(42));
        String room = createRoom(alice);
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "f", "url", inRoom)));
        ok(a().put(CS + "/profile/" + enc(alice.userId()) + "/avatar_url", alice.accessToken(), map("avatar_url", avatar)));
        // uploaded before references were tracked: never taken for unreferenced
        db().getCollection("media").updateOne(Filters.eq("_id", id(legacy)), Updates.unset("ref_tracked"));
        // a reference recorded while its flag update was lost
        String flagLost = upload(alice, "text/plain", random(43));
        ok(sendRaw(alice, room, "m.room.message", map("msgtype", "m.file", "body", "g", "url", flagLost)));
        db().getCollection("media").updateOne(Filters.eq("_id", id(flagLost)), Updates.unset("referenced"));
        Domain domain = domains.byServerName(A).orElseThrow();

        expiry.expire(domain);
        assertThat(download(alice, orphan)).as("off by default").isEqualTo(200);

        MediaExpiry young = expiryWith(java.time.Duration.ofHours(1));
        young.expire(domain);
        assertThat(download(alice, orphan)).as("younger than the age").isEqualTo(200);

        MediaExpiry sweeping = expiryWith(java.time.Duration.ZERO);
        awaitNewMillisecond(metadata(flagLost).getLong("created_ts"));
        sweeping.expire(domain);
        assertThat(download(alice, orphan)).isEqualTo(404);
        assertThat(metadata(orphan)).isNull();
        assertThat(files(orphan)).isZero();
        for (String keptUri : List.of(inRoom, avatar, legacy, flagLost)) {
            assertThat(download(alice, keptUri)).as(keptUri).isEqualTo(200);
        }
        assertThat(metadata(flagLost).getBoolean("referenced")).isTrue();
    }

    @Autowired
    MediaRepository repository;
    @Autowired
    MediaReferenceRepository references;
    @Autowired
    MediaDeletion deletion;
    @Autowired
    RemoteMediaRepository remoteRepository;

    private MediaExpiry expiryWith(java.time.Duration unreferencedExpiry) {
        MediaProperties p = new MediaProperties(null, null, null, null, null, null, null, null, null, unreferencedExpiry, null, null, null, null);
        return new MediaExpiry(domains, repository, store, p, references, deletion, new RemoteMediaExpiry(remoteRepository, repository, store, p));
    }

    /** Created timestamps are millis: make sure the clock moved past the last upload (bounded poll, no sleep). */
    private static void awaitNewMillisecond(long ts) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.currentTimeMillis() <= ts && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private MongoDatabase freshDatabase() {
        return mongo.getDatabase(de.tim.testsupport.MongoWireServers.uniqueDatabaseName("sweep"));
    }

    @Autowired
    com.mongodb.client.MongoClient mongo;

    private void purge(TestUser admin, String roomId) {
        MatrixTestClient.Response r = a().delete(ADMIN + "/v2/rooms/" + enc(roomId), admin.accessToken(), map("purge", true));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(a().get(ADMIN + "/v2/rooms/delete_status/" + r.text("delete_id"), admin.accessToken()).text("status"))
                .isEqualTo("complete");
    }

    private static MatrixTestClient.Response ok(MatrixTestClient.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new java.util.ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    private MongoDatabase db() {
        return domains.byServerName(A).orElseThrow().database();
    }

    private static String id(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    private Document metadata(String uri) {
        return db().getCollection("media").find(Filters.eq("_id", id(uri))).first();
    }

    private long files(String uri) {
        return db().getCollection("media_files.files").countDocuments(Filters.eq("filename", id(uri)));
    }

    private long thumbnailRecords(String uri) {
        return db().getCollection("media_thumbnails").countDocuments(Filters.eq("media_id", id(uri)));
    }

    private String upload(TestUser user, String contentType, byte[] body) throws Exception {
        HttpResponse<byte[]> r = http("POST", "/_matrix/media/v3/upload", user.accessToken(), contentType, body);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return JSON.readTree(r.body()).path("content_uri").asText();
    }

    private int download(TestUser user, String uri) throws Exception {
        return http("GET", DOWNLOAD + uri.substring(6), user.accessToken(), null, null).statusCode();
    }

    private int thumbnail(TestUser user, String uri) throws Exception {
        return http("GET", "/_matrix/client/v1/media/thumbnail/" + uri.substring(6) + "?width=32&height=32&method=crop",
                user.accessToken(), null, null).statusCode();
    }

    private HttpResponse<byte[]> http(String method, String path, String token, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Host", A).header("X-Tim-Proxy-Auth", PROXY_SECRET).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length * 31L + System.nanoTime()).nextBytes(bytes);
        return bytes;
    }
}

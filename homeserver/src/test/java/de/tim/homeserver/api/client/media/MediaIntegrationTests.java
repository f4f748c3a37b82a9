package de.tim.homeserver.api.client.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Supplier;
import java.io.InputStream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.media.ThumbnailerTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The content repository over HTTP: uploads, downloads, thumbnails, limits, async uploads and headers. */
class MediaIntegrationTests extends HomeserverIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int MB = 1024 * 1024;
    /** {@code tim.homeserver.media.max-upload-size} in application-it.yml. */
    private static final long LIMIT = 6L * MB;

    @Autowired
    DomainRegistry domains;

    @Test
    void uploadAndDownloadAreByteIdenticalWithSafeHeaders() throws Exception {
        TestUser alice = registerA("media");
        byte[] pdf = random(20_000);
        Reply upload = upload(alice.accessToken(), "application/pdf", "scan.pdf", pdf);
        assertThat(upload.status()).as(upload.text()).isEqualTo(200);
        String uri = upload.json().path("content_uri").asText();
        assertThat(uri).matches("mxc://a\\.test/[A-Za-z0-9_-]+");

        Reply download = get("/_matrix/client/v1/media/download/" + uri.substring(6), alice.accessToken(), null);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(pdf);
        assertThat(download.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=\"scan.pdf\"");
        assertThat(download.header("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'; script-src 'none'; "
                + "plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Cross-Origin-Resource-Policy")).isEqualTo("cross-origin");

        Reply renamed = get("/_matrix/client/v1/media/download/" + uri.substring(6) + "/Befund%20M%C3%BCller.pdf",
                alice.accessToken(), null);
        assertThat(renamed.body()).isEqualTo(pdf);
        assertThat(renamed.header("Content-Disposition")).isEqualTo("attachment; filename*=utf-8''Befund%20M%C3%BCller.pdf");

        Reply range = get("/_matrix/client/v1/media/download/" + uri.substring(6), alice.accessToken(), "bytes=100-199");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 100-199/20000");
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(pdf, 100, 200));

        Document stored = metadata(uri);
        assertThat(stored.getString("uploader")).isEqualTo(alice.userId());
        assertThat(stored.getString("content_type")).isEqualTo("application/pdf");
        assertThat(stored.getString("upload_name")).isEqualTo("scan.pdf");
        assertThat(((Number) stored.get("size")).longValue()).isEqualTo(pdf.length);
        assertThat(stored.getString("sha256")).isEqualTo(java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(pdf)));
    }

    @Test
    void formContentTypesAreStoredAsTheyAreNotParsed() {
        TestUser alice = registerA("media");
        byte[] form = "a=b&filename=evil&c=%ZZ".getBytes(StandardCharsets.UTF_8);
        Reply post = upload(alice.accessToken(), "application/x-www-form-urlencoded", "form.txt", form);
        assertThat(post.status()).as(post.text()).isEqualTo(200);
        Reply created = send("POST", "/_matrix/media/v1/create", alice.accessToken(), null,
                HttpRequest.BodyPublishers.ofString("{}"));
        String path = created.json().path("content_uri").asText().substring(6);
        Reply put = send("PUT", "/_matrix/media/v3/upload/" + path + "?filename=put.txt", alice.accessToken(), null,
                "application/x-www-form-urlencoded", HttpRequest.BodyPublishers.ofByteArray(form), null);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        for (String uri : new String[] {post.json().path("content_uri").asText().substring(6), path}) {
            Reply download = get("/_matrix/client/v1/media/download/" + uri, alice.accessToken(), null);
            assertThat(download.body()).isEqualTo(form);
            assertThat(download.header("Content-Disposition")).startsWith("attachment; filename=");
        }
    }

    @Test
    void multiMegabyteFilesRoundTripAlsoOverTheLegacyEndpoint() throws Exception {
        TestUser alice = registerA("media");
        byte[] big = random(5 * MB + 123);
        Reply upload = uploadStreamed(alice.accessToken(), "video/mp4", big);
        assertThat(upload.status()).as(upload.text()).isEqualTo(200);
        String uri = upload.json().path("content_uri").asText();
        Reply authed = get("/_matrix/client/v1/media/download/" + uri.substring(6), alice.accessToken(), null);
        assertThat(authed.body()).isEqualTo(big);
        assertThat(authed.header("Content-Disposition")).isEqualTo("inline");
        Reply legacy = get("/_matrix/media/v3/download/" + uri.substring(6), null, null);
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.body()).isEqualTo(big);
    }

    @Test
    void uploadsAboveTheLimitAreRefusedAndNothingIsStored() throws Exception {
        TestUser alice = registerA("media");
        long filesBefore = files().countDocuments();
        Reply declared = upload(alice.accessToken(), "application/octet-stream", null, random((int) LIMIT + 1));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().path("errcode").asText()).isEqualTo("M_TOO_LARGE");
        Reply streamed = uploadStreamed(alice.accessToken(), "application/octet-stream", random((int) LIMIT + 256 * 1024));
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(streamed.json().path("errcode").asText()).isEqualTo("M_TOO_LARGE");
        assertThat(database().getCollection("media").countDocuments(Filters.eq("uploader", alice.userId()))).isZero();
        assertThat(files().countDocuments()).isEqualTo(filesBefore);

        Reply config = get("/_matrix/client/v1/media/config", alice.accessToken(), null);
        assertThat(config.json().path("m.upload.size").asLong()).isEqualTo(LIMIT);
        assertThat(get("/_matrix/media/v3/config", alice.accessToken(), null).json().path("m.upload.size").asLong())
                .isEqualTo(LIMIT);
    }

    @Test
    void authenticatedEndpointsRefuseRequestsWithoutToken() throws Exception {
        TestUser alice = registerA("media");
        String uri = upload(alice.accessToken(), "text/plain", null, "hello".getBytes(StandardCharsets.UTF_8))
                .json().path("content_uri").asText();
        for (String path : new String[] {"/_matrix/client/v1/media/download/" + uri.substring(6),
                "/_matrix/client/v1/media/download/" + uri.substring(6) + "/x.txt",
                "/_matrix/client/v1/media/thumbnail/" + uri.substring(6) + "?width=32&height=32",
                "/_matrix/client/v1/media/config", "/_matrix/media/v3/config"}) {
            Reply reply = get(path, null, null);
            assertThat(reply.status()).as(path).isEqualTo(401);
            assertThat(reply.json().path("errcode").asText()).as(path).isEqualTo("M_MISSING_TOKEN");
        }
        assertThat(upload(null, "text/plain", null, new byte[] {1}).status()).isEqualTo(401);
        assertThat(send("POST", "/_matrix/media/v1/create", null, null, HttpRequest.BodyPublishers.ofString("{}")).status())
                .isEqualTo(401);
        assertThat(get("/_matrix/client/v1/media/download/" + uri.substring(6), "syt_unknown", null).status())
                .isEqualTo(401);
        Reply legacy = get("/_matrix/media/v3/download/" + uri.substring(6), null, null);
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.header("Content-Disposition")).isEqualTo("inline");
    }

    @Test
    void unknownRemoteAndMalformedMediaAreNotFound() throws Exception {
        TestUser alice = registerA("media");
        for (String path : new String[] {"/_matrix/client/v1/media/download/a.test/doesNotExist",
                "/_matrix/client/v1/media/download/b.test/doesNotExist",
                "/_matrix/client/v1/media/download/a.test/bad.id",
                "/_matrix/client/v1/media/thumbnail/a.test/doesNotExist?width=32&height=32",
                "/_matrix/media/v3/download/a.test/doesNotExist"}) {
            Reply reply = get(path, alice.accessToken(), null);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.json().path("errcode").asText()).as(path).isEqualTo("M_NOT_FOUND");
        }
        // media of another tenant in this process is remote: reached through federation only
        TestUser bob = register(b(), uniqueLocalpart("media"), false, "b-shared-secret");
        Reply onB = send("POST", "/_matrix/media/v3/upload", bob.accessToken(), "b.test",
                HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}));
        String bUri = onB.json().path("content_uri").asText();
        assertThat(bUri).startsWith("mxc://b.test/");
        EGRESS.forwardTo(port, A, B);
        assertThat(get("/_matrix/client/v1/media/download/" + bUri.substring(6), alice.accessToken(), null).body())
                .containsExactly(1, 2, 3);
    }

    @Test
    void previewsAreDisabled() {
        TestUser alice = registerA("media");
        for (String path : new String[] {"/_matrix/client/v1/media/preview_url?url=https%3A%2F%2Fexample.org",
                "/_matrix/media/v3/preview_url?url=https%3A%2F%2Fexample.org"}) {
            Reply reply = get(path, alice.accessToken(), null);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.json().path("errcode").asText()).isEqualTo("M_UNRECOGNIZED");
        }
    }

    @Test
    void asyncUploadsOnlyByTheCreatorAndOnlyOnce() throws Exception {
        TestUser alice = registerA("media");
        TestUser mallory = registerA("media");
        Reply created = send("POST", "/_matrix/media/v1/create", alice.accessToken(), null,
                HttpRequest.BodyPublishers.ofString("{}"));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String uri = created.json().path("content_uri").asText();
        assertThat(created.json().path("unused_expires_at").asLong()).isGreaterThan(System.currentTimeMillis());
        String path = uri.substring(6);

        Reply notYet = get("/_matrix/client/v1/media/download/" + path + "?timeout_ms=0", alice.accessToken(), null);
        assertThat(notYet.status()).isEqualTo(504);
        assertThat(notYet.json().path("errcode").asText()).isEqualTo("M_NOT_YET_UPLOADED");

        byte[] content = random(3000);
        Reply foreign = put(path, mallory.accessToken(), content);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().path("errcode").asText()).isEqualTo("M_FORBIDDEN");

        Reply first = put(path, alice.accessToken(), content);
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().isObject() && first.json().isEmpty()).isTrue();
        Reply second = put(path, alice.accessToken(), random(10));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("errcode").asText()).isEqualTo("M_CANNOT_OVERWRITE_MEDIA");
        assertThat(get("/_matrix/client/v1/media/download/" + path, alice.accessToken(), null).body()).isEqualTo(content);

        assertThat(put("a.test/neverCreated", alice.accessToken(), content).status()).isEqualTo(404);
        Reply directUpload = upload(alice.accessToken(), "text/plain", null, new byte[] {1});
        assertThat(put(directUpload.json().path("content_uri").asText().substring(6), alice.accessToken(), content)
                .status()).isEqualTo(409);
    }

    @Test
    void thumbnailsAreScaledCroppedAndCached() throws Exception {
        TestUser alice = registerA("media");
        byte[] png = ThumbnailerTests.imageBytes(1000, 500, "png");
        String path = upload(alice.accessToken(), "image/png", "wide.png", png).json().path("content_uri").asText()
                .substring(6);

        Reply crop = get("/_matrix/client/v1/media/thumbnail/" + path + "?width=96&height=96&method=crop",
                alice.accessToken(), null);
        assertThat(crop.status()).as(crop.text()).isEqualTo(200);
        assertThat(crop.header("Content-Type")).isEqualTo("image/png");
        assertThat(crop.header("Content-Security-Policy")).startsWith("sandbox;");
        assertThat(dimensions(crop.body())).containsExactly(96, 96);

        Reply scale = get("/_matrix/client/v1/media/thumbnail/" + path + "?width=100&height=100&method=scale&animated=true",
                alice.accessToken(), null);
        assertThat(dimensions(scale.body())).containsExactly(480, 240);
        Reply again = get("/_matrix/client/v1/media/thumbnail/" + path + "?width=320&height=240",
                alice.accessToken(), null);
        assertThat(again.body()).isEqualTo(scale.body());
        assertThat(database().getCollection("media_thumbnails").countDocuments(
                Filters.eq("media_id", path.substring(path.indexOf('/') + 1)))).isEqualTo(2);

        Reply legacy = get("/_matrix/media/v3/thumbnail/" + path + "?width=32&height=32&method=crop", null, null);
        assertThat(dimensions(legacy.body())).containsExactly(32, 32);

        Reply original = get("/_matrix/client/v1/media/thumbnail/" + path + "?width=2000&height=2000",
                alice.accessToken(), null);
        assertThat(original.body()).isEqualTo(png);

        byte[] jpeg = ThumbnailerTests.imageBytes(900, 900, "jpeg");
        String jpegPath = upload(alice.accessToken(), "image/jpeg", null, jpeg).json().path("content_uri").asText()
                .substring(6);
        Reply jpegThumb = get("/_matrix/client/v1/media/thumbnail/" + jpegPath + "?width=640&height=480",
                alice.accessToken(), null);
        assertThat(jpegThumb.header("Content-Type")).isEqualTo("image/jpeg");
        assertThat(dimensions(jpegThumb.body())).containsExactly(640, 640);
    }

    @Test
    void thumbnailRequestsThatMakeNoSenseAre400() throws Exception {
        TestUser alice = registerA("media");
        String text = upload(alice.accessToken(), "text/plain", null, "hi".getBytes(StandardCharsets.UTF_8))
                .json().path("content_uri").asText().substring(6);
        String image = upload(alice.accessToken(), "image/png", null, ThumbnailerTests.imageBytes(100, 100, "png"))
                .json().path("content_uri").asText().substring(6);
        String notAnImage = upload(alice.accessToken(), "image/png", null, "no png".getBytes(StandardCharsets.UTF_8))
                .json().path("content_uri").asText().substring(6);
        assertThat(get("/_matrix/client/v1/media/thumbnail/" + text + "?width=32&height=32", alice.accessToken(), null)
                .status()).isEqualTo(400);
        assertThat(get("/_matrix/client/v1/media/thumbnail/" + notAnImage + "?width=32&height=32", alice.accessToken(), null)
                .status()).isEqualTo(400);
        for (String query : new String[] {"?height=32", "?width=x&height=32", "?width=-1&height=32",
                "?width=32&height=32&method=stretch", "?width=32&height=32&animated=maybe"}) {
            Reply reply = get("/_matrix/client/v1/media/thumbnail/" + image + query, alice.accessToken(), null);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().path("errcode").asText()).as(query).startsWith("M_");
        }
    }

    // --- helpers

    private record Reply(int status, byte[] body, java.net.http.HttpHeaders headers) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private Reply upload(String token, String contentType, String filename, byte[] body) {
        String path = "/_matrix/media/v3/upload" + (filename == null ? "" : "?filename="
                + URLEncoder.encode(filename, StandardCharsets.UTF_8));
        return send("POST", path, token, null, contentType, HttpRequest.BodyPublishers.ofByteArray(body), null);
    }

    /** An upload without Content-Length (chunked), read from a stream. */
    private Reply uploadStreamed(String token, String contentType, byte[] body) {
        Supplier<InputStream> stream = () -> new ByteArrayInputStream(body);
        return send("POST", "/_matrix/media/v3/upload", token, null, contentType,
                HttpRequest.BodyPublishers.ofInputStream(stream), null);
    }

    private Reply put(String serverAndId, String token, byte[] body) {
        return send("PUT", "/_matrix/media/v3/upload/" + serverAndId + "?filename=async.bin", token, null,
                "application/octet-stream", HttpRequest.BodyPublishers.ofByteArray(body), null);
    }

    private Reply get(String path, String token, String range) {
        return send("GET", path, token, null, null, HttpRequest.BodyPublishers.noBody(), range);
    }

    private Reply send(String method, String path, String token, String host, HttpRequest.BodyPublisher body) {
        return send(method, path, token, host, "application/json", body, null);
    }

    private Reply send(String method, String path, String token, String host, String contentType,
            HttpRequest.BodyPublisher body, String range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Host", host == null ? A : host)
                .header("X-Tim-Proxy-Auth", PROXY_SECRET)
                .method(method, body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (range != null) {
            request.header("Range", range);
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static int[] dimensions(byte[] image) throws IOException {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image));
        assertThat(decoded).as("decodable image").isNotNull();
        return new int[] {decoded.getWidth(), decoded.getHeight()};
    }

    private MongoDatabase database() {
        return domains.byServerName(A).orElseThrow().database();
    }

    private com.mongodb.client.MongoCollection<Document> files() {
        return database().getCollection("media_files.files");
    }

    private Document metadata(String uri) {
        return database().getCollection("media").find(Filters.eq("_id", uri.substring(uri.lastIndexOf('/') + 1))).first();
    }
}

package de.tim.homeserver.federation.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.homeserver.media.ThumbnailerTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /_matrix/federation/v1/media/download|thumbnail/{mediaId}}: a remote server (played by the test, signing
 * with X-Matrix) gets our own media as {@code multipart/mixed}; unknown, unauthenticated and other servers' media
 * are refused.
 */
class FederationMediaEndpointsIntegrationTests extends HomeserverIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeRemoteServer remote;

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("media-peer-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
    }

    record Reply(int status, String contentType, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** The two parts of a multipart answer: JSON metadata, then the media part's headers and bytes. */
    record Parts(String json, String contentType, String disposition, byte[] media) {
    }

    static Parts parts(Reply reply) throws IOException {
        String boundary = MultipartMixedReader.boundary(reply.contentType());
        assertThat(boundary).as(reply.contentType()).isNotNull();
        MultipartMixedReader reader = new MultipartMixedReader(new ByteArrayInputStream(reply.body()), boundary);
        MultipartMixedReader.Part meta = reader.next();
        assertThat(meta.header("content-type")).isEqualTo("application/json");
        String json = new String(meta.body().readAllBytes(), StandardCharsets.UTF_8);
        MultipartMixedReader.Part media = reader.next();
        Parts parts = new Parts(json, media.header("content-type"), media.header("content-disposition"),
                media.body().readAllBytes());
        assertThat(reader.next()).isNull();
        return parts;
    }

    private Reply federationGet(String host, String path, boolean signed) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Host", host).header("X-Tim-Proxy-Auth", PROXY_SECRET).GET();
        if (signed) {
            request.header("Authorization", remote.authorization(host, "GET", path, null));
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
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

    @Test
    void ownMediaIsServedAsMultipart() throws Exception {
        TestUser alice = registerA("fedmedia");
        byte[] bytes = new byte[700_000];
        new Random(3).nextBytes(bytes);
        String mediaId = upload(A, alice, "application/pdf", "befund.pdf", bytes);

        Reply reply = federationGet(A, "/_matrix/federation/v1/media/download/" + mediaId, true);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("multipart/mixed; boundary=");
        Parts parts = parts(reply);
        assertThat(parts.json()).isEqualTo("{}");
        assertThat(parts.contentType()).isEqualTo("application/pdf");
        assertThat(parts.disposition()).isEqualTo("attachment; filename=\"befund.pdf\"");
        assertThat(parts.media()).isEqualTo(bytes);
    }

    @Test
    void thumbnailsAreServedAsMultipart() throws Exception {
        TestUser alice = registerA("fedmedia");
        String mediaId = upload(A, alice, "image/png", null, ThumbnailerTests.imageBytes(400, 200, "png"));

        Reply reply = federationGet(A, "/_matrix/federation/v1/media/thumbnail/" + mediaId
                + "?width=32&height=32&method=crop", true);
        assertThat(reply.status()).isEqualTo(200);
        Parts parts = parts(reply);
        assertThat(parts.contentType()).isEqualTo("image/png");
        var image = ImageIO.read(new ByteArrayInputStream(parts.media()));
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(32);

        Reply bad = federationGet(A, "/_matrix/federation/v1/media/thumbnail/" + mediaId + "?width=0&height=32", true);
        assertThat(bad.status()).isEqualTo(400);
    }

    @Test
    void unknownUnauthenticatedAndForeignMediaAreRefused() throws Exception {
        TestUser alice = registerA("fedmedia");
        String mediaId = upload(A, alice, "text/plain", null, "hi".getBytes(StandardCharsets.UTF_8));

        Reply unsigned = federationGet(A, "/_matrix/federation/v1/media/download/" + mediaId, false);
        assertThat(unsigned.status()).isEqualTo(401);

        for (String path : new String[] {"/_matrix/federation/v1/media/download/doesNotExist",
                "/_matrix/federation/v1/media/download/bad.id",
                "/_matrix/federation/v1/media/thumbnail/doesNotExist?width=32&height=32"}) {
            Reply reply = federationGet(A, path, true);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.json().path("errcode").asText()).isEqualTo("M_NOT_FOUND");
        }
        // a.test's media is not b.test's: each domain serves only its own
        Reply elsewhere = federationGet(B, "/_matrix/federation/v1/media/download/" + mediaId, true);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.json().path("errcode").asText()).isEqualTo("M_NOT_FOUND");
    }

    @Test
    void mediaNotYetUploadedIs504() throws Exception {
        TestUser alice = registerA("fedmedia");
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/_matrix/media/v1/create"))
                .header("Host", A).header("X-Tim-Proxy-Auth", PROXY_SECRET)
                .header("Authorization", "Bearer " + alice.accessToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        String uri = JSON.readTree(created.body()).path("content_uri").asText();
        String mediaId = uri.substring(uri.lastIndexOf('/') + 1);

        Reply reply = federationGet(A, "/_matrix/federation/v1/media/download/" + mediaId + "?timeout_ms=0", true);
        assertThat(reply.status()).isEqualTo(504);
        assertThat(reply.json().path("errcode").asText()).isEqualTo("M_NOT_YET_UPLOADED");
    }
}

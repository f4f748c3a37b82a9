package de.tim.homeserver.api.client.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The media knobs away from their defaults: legacy endpoints off, short-lived created URIs, few pending uploads,
 * a storage quota per user.
 */
@TestPropertySource(properties = {
        HomeserverIntegrationTest.NO_PUSH_EVALUATION,
        "tim.homeserver.media.legacy-endpoints=false",
        "tim.homeserver.media.unused-expiry=2s",
        "tim.homeserver.media.expiry-interval=200ms",
        "tim.homeserver.media.max-pending-uploads=2",
        "tim.homeserver.media.max-storage-per-user=100B"})
class MediaVariantsIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void legacyEndpointsCanBeSwitchedOff() {
        TestUser alice = registerA("media");
        MatrixTestClient.Response upload = a().post("/_matrix/media/v3/upload", alice.accessToken(), Map.of("a", 1));
        assertThat(upload.status()).as(upload.raw()).isEqualTo(200);
        String path = upload.text("content_uri").substring(6);
        for (String legacy : new String[] {"/_matrix/media/v3/download/" + path,
                "/_matrix/media/v3/download/" + path + "/a.json",
                "/_matrix/media/v3/thumbnail/" + path + "?width=32&height=32", "/_matrix/media/v3/config"}) {
            MatrixTestClient.Response r = a().get(legacy, alice.accessToken());
            assertThat(r.status()).as(legacy).isEqualTo(404);
            assertThat(r.errcode()).as(legacy).isEqualTo("M_UNRECOGNIZED");
        }
        assertThat(a().get("/_matrix/client/v1/media/download/" + path, alice.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void theStorageQuotaIsPerUser() {
        TestUser alice = registerA("media");
        TestUser bob = registerA("media");
        String sixty = "x".repeat(58);
        assertThat(a().post("/_matrix/media/v3/upload", alice.accessToken(), sixty).status()).isEqualTo(200);
        MatrixTestClient.Response over = a().post("/_matrix/media/v3/upload", alice.accessToken(), sixty);
        assertThat(over.status()).isEqualTo(403);
        assertThat(over.errcode()).isEqualTo("M_FORBIDDEN");
        MatrixTestClient.Response created = a().post("/_matrix/media/v1/create", alice.accessToken(), Map.of());
        assertThat(a().put("/_matrix/media/v3/upload/" + created.text("content_uri").substring(6), alice.accessToken(),
                sixty).status()).isEqualTo(403);
        assertThat(a().post("/_matrix/media/v3/upload", bob.accessToken(), sixty).status()).isEqualTo(200);
    }

    @Test
    void createdUrisExpireUnlessUploadedAndPendingUploadsAreLimited() {
        TestUser alice = registerA("media");
        MatrixTestClient.Response first = a().post("/_matrix/media/v1/create", alice.accessToken(), Map.of());
        MatrixTestClient.Response second = a().post("/_matrix/media/v1/create", alice.accessToken(), Map.of());
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        MatrixTestClient.Response third = a().post("/_matrix/media/v1/create", alice.accessToken(), Map.of());
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.errcode()).isEqualTo("M_LIMIT_EXCEEDED");

        String uploaded = second.text("content_uri").substring(6);
        assertThat(a().put("/_matrix/media/v3/upload/" + uploaded, alice.accessToken(), Map.of("x", 1)).status())
                .isEqualTo(200);
        String unused = first.text("content_uri").substring(6);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(a().get("/_matrix/client/v1/media/download/" + unused + "?timeout_ms=0", alice.accessToken())
                        .errcode()).isEqualTo("M_NOT_FOUND"));
        MatrixTestClient.Response late = a().put("/_matrix/media/v3/upload/" + unused, alice.accessToken(), Map.of("x", 1));
        assertThat(late.status()).isEqualTo(404);
        assertThat(a().get("/_matrix/client/v1/media/download/" + uploaded, alice.accessToken()).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(a().post("/_matrix/media/v1/create", alice.accessToken(), Map.of()).status()).isEqualTo(200));
    }
}

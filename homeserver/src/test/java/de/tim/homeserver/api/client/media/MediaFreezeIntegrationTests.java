package de.tim.homeserver.api.client.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.DomainRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code legacy-freeze-at} (Matrix 1.12 freeze): the unauthenticated endpoints serve only media uploaded before it,
 * never fetch remote media, and the authenticated endpoints serve everything.
 */
@TestPropertySource(properties = {HomeserverIntegrationTest.NO_PUSH_EVALUATION,
        "tim.homeserver.media.legacy-freeze-at=2020-01-01T00:00:00Z"})
class MediaFreezeIntegrationTests extends HomeserverIntegrationTest {

    @Autowired
    private DomainRegistry domains;

    @Test
    void onlyMediaFromBeforeTheFreezeIsServedUnauthenticated() {
        TestUser alice = registerA("frozen");
        MatrixTestClient.Response upload = a().post("/_matrix/media/v3/upload", alice.accessToken(), Map.of("a", 1));
        String path = upload.text("content_uri").substring(6);
        String mediaId = path.substring(path.indexOf('/') + 1);
        for (String legacy : new String[] {"/_matrix/media/v3/download/" + path,
                "/_matrix/media/v3/download/" + path + "/a.json"}) {
            MatrixTestClient.Response r = a().get(legacy, null);
            assertThat(r.status()).as(legacy).isEqualTo(404);
            assertThat(r.errcode()).as(legacy).isEqualTo("M_NOT_FOUND");
        }
        assertThat(a().get("/_matrix/client/v1/media/download/" + path, alice.accessToken()).status()).isEqualTo(200);

        // media uploaded before the freeze stays reachable
        domains.byServerName(A).orElseThrow().database().getCollection("media")
                .updateOne(Filters.eq("_id", mediaId), Updates.set("created_ts", 1_500_000_000_000L));
        assertThat(a().get("/_matrix/media/v3/download/" + path, null).status()).isEqualTo(200);

        // remote media is never fetched for the frozen endpoints
        EGRESS.forwardTo(port, A, B);
        TestUser bob = register(b(), uniqueLocalpart("frozen"), false, "b-shared-secret");
        String bPath = b().post("/_matrix/media/v3/upload", bob.accessToken(), Map.of("b", 2)).text("content_uri")
                .substring(6);
        long before = EGRESS.requests().size();
        assertThat(a().get("/_matrix/media/v3/download/" + bPath, null).status()).isEqualTo(404);
        assertThat(a().get("/_matrix/media/v3/thumbnail/" + bPath + "?width=32&height=32", null).status()).isEqualTo(404);
        assertThat(EGRESS.requests().size()).isEqualTo(before);
        assertThat(a().get("/_matrix/client/v1/media/download/" + bPath, alice.accessToken()).status()).isEqualTo(200);
        // cached after the freeze: still not for the frozen endpoints
        assertThat(a().get("/_matrix/media/v3/download/" + bPath, null).status()).isEqualTo(404);
    }
}

package de.tim.homeserver.federation.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.keys.ServerKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances serving one domain on one MongoDB and one Kafka: a key rotated through one instance is published
 * and used for signing by the other one within moments. The periodic re-check is 10 minutes here, so only the
 * rotation signal can explain it.
 */
class SigningKeyRotationIntegrationTests {

    private static final String DOMAIN = "rot.test";
    private static final String SECRET = "rotation-it-secret";
    private static final String PROVISIONING = "rotation-provisioning-secret";
    private static HomeserverPair pair;
    private static ConfigurableApplicationContext first;
    private static ConfigurableApplicationContext second;

    @BeforeAll
    static void start() {
        pair = HomeserverPair.start("rotation", DOMAIN, SECRET,
                c -> c.getBean(SigningKeyRefreshListener.class).isReady(),
                "--tim.homeserver.provisioning-secret=" + PROVISIONING,
                "--tim.homeserver.federation.signing-key.recheck-interval=600s");
        first = pair.first();
        second = pair.second();
    }

    @AfterAll
    static void stop() {
        if (pair != null) {
            pair.close();
        }
    }

    /** The verified key response of the instance: who signs it proves which key the instance signs with. */
    private static ServerKeys published(ConfigurableApplicationContext context) {
        ObjectNode json = (ObjectNode) pair.client(context).get("/_matrix/key/v2/server", null).body();
        return ServerKeys.parseAndVerify(json, ServerName.parse(DOMAIN));
    }

    private static String signingKeyId(ConfigurableApplicationContext context) {
        return context.getBean(DomainRegistry.class).byServerName(DOMAIN).orElseThrow().signingKey().keyId();
    }

    @Test
    void aRotationReachesTheOtherInstance() {
        String before = signingKeyId(second);
        assertThat(signingKeyId(first)).isEqualTo(before);
        assertThat(published(second).verifyKeys()).containsOnlyKeys(before);

        MatrixTestClient.Response rotated = pair.client(first).withHeader("Authorization", "Bearer " + PROVISIONING)
                .post("/_tim/admin/v1/domains/" + DOMAIN + "/rotate_signing_key", null, Map.of());
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
        String after = signingKeyId(first);
        assertThat(after).isNotEqualTo(before);
        assertThat(rotated.body().path("verify_keys").has(after)).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> signingKeyId(second).equals(after));
        ServerKeys keys = published(second);
        assertThat(keys.verifyKeys()).containsOnlyKeys(after);
        assertThat(keys.oldVerifyKeys()).containsKey(before);
        assertThat(published(first).verifyKeys()).containsOnlyKeys(after);
    }
}

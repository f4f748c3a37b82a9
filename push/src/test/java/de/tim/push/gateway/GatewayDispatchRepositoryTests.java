package de.tim.push.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.tim.push.gateway.GatewayDispatchRepository.Claim;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Duplicate suppression claims against the Mongo wire server. */
class GatewayDispatchRepositoryTests {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final MongoClient mongo = MongoClients.create(MongoWireServers.shared().connectionString());
    private final GatewayDispatchRepository repository =
            new GatewayDispatchRepository(mongo.getDatabase(MongoWireServers.uniqueDatabaseName("dispatch")));

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void aClaimIsExclusiveUntilSettledReleasedOrStale() {
        String key = GatewayDispatchRepository.key("$e", "app", "pk");
        assertThat(key).hasSize(64).doesNotContain("pk");

        assertThat(repository.claim(key, T0, LEASE)).isInstanceOf(Claim.Acquired.class);
        assertThat(repository.claim(key, T0.plusSeconds(1), LEASE)).isInstanceOf(Claim.InFlight.class);
        // the owner died: after the lease the claim is taken over
        assertThat(repository.claim(key, T0.plusSeconds(31), LEASE)).isInstanceOf(Claim.Acquired.class);
        repository.release(key);
        assertThat(repository.claim(key, T0.plusSeconds(32), LEASE)).isInstanceOf(Claim.Acquired.class);
        repository.settle(key, "DELIVERED", T0.plusSeconds(33));
        assertThat(repository.claim(key, T0.plusSeconds(34), LEASE)).isEqualTo(new Claim.Settled("DELIVERED"));
        // a settled entry is not released by a late release
        repository.release(key);
        assertThat(repository.claim(key, T0.plusSeconds(35), LEASE)).isEqualTo(new Claim.Settled("DELIVERED"));

        assertThat(repository.expire(T0.plusSeconds(33))).isZero();
        assertThat(repository.expire(T0.plusSeconds(34))).isEqualTo(1);
        assertThat(repository.claim(key, T0.plusSeconds(36), LEASE)).isInstanceOf(Claim.Acquired.class);
    }
}

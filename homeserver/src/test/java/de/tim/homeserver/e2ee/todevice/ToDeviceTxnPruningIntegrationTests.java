package de.tim.homeserver.e2ee.todevice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Completed send-to-device transactions are forgotten after the retention, not before. */
class ToDeviceTxnPruningIntegrationTests extends HomeserverIntegrationTest {

    @Autowired
    ToDeviceTxnPruning pruning;
    @Autowired
    ToDeviceRepository repository;
    @Autowired
    DomainRegistry registry;

    @Test
    void prunesCompletedTransactionsAfterTheRetention() {
        TestUser alice = registerA("prune-alice");
        TestUser bob = registerA("prune-bob");
        assertThat(alice.client().put("/_matrix/client/v3/sendToDevice/m.test/p1", alice.accessToken(),
                Map.of("messages", Map.of(bob.userId(), Map.of(bob.deviceId(), Map.of("body", "x"))))).status()).isEqualTo(200);
        Domain domain = registry.byServerName(A).orElseThrow();
        long now = System.currentTimeMillis();

        pruning.prune(domain, now);
        assertThat(repository.findTxn(domain.database(), alice.userId(), alice.deviceId(), "p1")).isNotNull();
        pruning.prune(domain, now + ToDeviceTxnPruning.RETENTION.toMillis() + 60_000);
        assertThat(repository.findTxn(domain.database(), alice.userId(), alice.deviceId(), "p1")).isNull();
    }
}

package de.tim.homeserver.federation.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import de.tim.homeserver.HomeserverPair;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.TestGate;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.homeserver.room.HoldingRemoteEphemeral;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances serving one domain from one database: a transaction whose copies reach both instances is processed
 * once. The first copy's processing is held by the test ({@link HoldingRemoteEphemeral}, which also counts the EDUs
 * each instance processed); the claim lease is 1 s (renewed every third of it) and a waiting copy waits at most 8 s.
 */
class InboundTransactionInstancesIntegrationTests {

    private static final String SECRET = "inbound-txn-it-secret";
    private static final String DOMAIN = "itx.test";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static FakeRemoteServer remote;
    private static HomeserverPair pair;
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void start() {
        remote = new FakeRemoteServer("itx-remote-" + System.nanoTime() % 100000 + ".test");
        pair = HomeserverPair.federating("inboundtxn", DOMAIN, SECRET, c -> true, remote,
                List.of(HoldingRemoteEphemeral.Config.class),
                "--tim.homeserver.federation.inbound.claim-lease=1s",
                "--tim.homeserver.federation.inbound.claim-wait=8s");
    }

    @AfterAll
    static void stop() {
        THREADS.shutdownNow();
        if (pair != null) {
            pair.close();
        }
    }

    private static HoldingRemoteEphemeral edus(ConfigurableApplicationContext instance) {
        return instance.getBean(HoldingRemoteEphemeral.class);
    }

    private static double claimedElsewhere(ConfigurableApplicationContext instance, String state) {
        var counter = instance.getBean(MeterRegistry.class).find(InboundTransactionClaims.CLAIMED_ELSEWHERE).tag("state", state)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static CompletableFuture<MatrixTestClient.Response> send(ConfigurableApplicationContext instance, String txnId) {
        Map<String, Object> body = Map.of("origin", remote.serverName(), "origin_server_ts", System.currentTimeMillis(),
                "pdus", List.of(), "edus", List.of(Map.of("edu_type", "m.typing", "content", Map.of(
                        "room_id", "!nowhere:" + remote.serverName(), "user_id", "@bob:" + remote.serverName(), "typing", true))));
        return CompletableFuture.supplyAsync(() -> remote.request(pair.client(instance), DOMAIN, "PUT",
                "/_matrix/federation/v1/send/" + txnId, body), THREADS);
    }

    private static MatrixTestClient.Response ok(CompletableFuture<MatrixTestClient.Response> response) throws Exception {
        MatrixTestClient.Response r = response.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    @Test
    void aCopyReachingTheOtherInstanceWaitsForTheFirstOnesAnswer() throws Exception {
        String txnId = "both-" + System.nanoTime();
        int firstBefore = edus(pair.first()).typingCalls();
        int secondBefore = edus(pair.second()).typingCalls();
        double waitingBefore = claimedElsewhere(pair.second(), "waiting");
        double answeredBefore = claimedElsewhere(pair.second(), "answered");
        TestGate hold = edus(pair.first()).holdNextTyping();

        CompletableFuture<MatrixTestClient.Response> first = send(pair.first(), txnId);
        hold.awaitHeld(WAIT);
        CompletableFuture<MatrixTestClient.Response> retry = send(pair.second(), txnId);
        await().atMost(WAIT).until(() -> claimedElsewhere(pair.second(), "waiting") > waitingBefore);
        // longer than the lease: the holder renews its claim, so the waiting copy does not take the transaction over
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> !retry.isDone() && edus(pair.second()).typingCalls() == secondBefore);
        hold.release();

        MatrixTestClient.Response firstAnswer = ok(first);
        MatrixTestClient.Response retryAnswer = ok(retry);
        assertThat(retryAnswer.body()).isEqualTo(firstAnswer.body());
        assertThat(firstAnswer.body().has("pdus")).as(firstAnswer.raw()).isTrue();
        assertThat(claimedElsewhere(pair.second(), "answered")).isEqualTo(answeredBefore + 1);
        assertThat(edus(pair.first()).typingCalls()).isEqualTo(firstBefore + 1);
        assertThat(edus(pair.second()).typingCalls()).isEqualTo(secondBefore);

        // a later copy on either instance gets the stored answer without processing
        assertThat(ok(send(pair.second(), txnId)).body()).isEqualTo(firstAnswer.body());
        assertThat(ok(send(pair.first(), txnId)).body()).isEqualTo(firstAnswer.body());
        assertThat(edus(pair.first()).typingCalls()).isEqualTo(firstBefore + 1);
        assertThat(edus(pair.second()).typingCalls()).isEqualTo(secondBefore);
    }

    @Test
    void aCopyWaitingLongerThanTheBoundIsAnswered503AndItsRetryGetsTheStoredAnswer() throws Exception {
        String txnId = "bound-" + System.nanoTime();
        int secondBefore = edus(pair.second()).typingCalls();
        double timedOutBefore = claimedElsewhere(pair.second(), "timed_out");
        TestGate hold = edus(pair.first()).holdNextTyping();
        CompletableFuture<MatrixTestClient.Response> first = send(pair.first(), txnId);
        MatrixTestClient.Response refused;
        try {
            hold.awaitHeld(WAIT);
            refused = send(pair.second(), txnId).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            hold.release();
        }
        assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
        assertThat(refused.text("errcode")).isEqualTo("M_UNKNOWN");
        assertThat(claimedElsewhere(pair.second(), "timed_out")).isEqualTo(timedOutBefore + 1);

        MatrixTestClient.Response firstAnswer = ok(first);
        assertThat(ok(send(pair.second(), txnId)).body()).isEqualTo(firstAnswer.body());
        assertThat(edus(pair.second()).typingCalls()).isEqualTo(secondBefore);
    }

    @Test
    void theClaimOfAnInstanceThatDiedIsTakenOverOnceItsLeaseEnded() throws Exception {
        String txnId = "orphan-" + System.nanoTime();
        int secondBefore = edus(pair.second()).typingCalls();
        double takenOverBefore = claimedElsewhere(pair.second(), "taken_over");
        Domain domain = pair.first().getBean(DomainRegistry.class).byServerName(DOMAIN).orElseThrow();
        long now = System.currentTimeMillis();
        // an instance that crashed while processing: its claim is never renewed and runs out in a second
        assertThat(pair.first().getBean(InboundTransactionRepository.class)
                .claim(domain.database(), remote.serverName(), txnId, "crashed-instance", now + 1000, now)).isTrue();

        MatrixTestClient.Response answer = ok(send(pair.second(), txnId));
        assertThat(answer.body().has("pdus")).as(answer.raw()).isTrue();
        assertThat(claimedElsewhere(pair.second(), "taken_over")).isEqualTo(takenOverBefore + 1);
        assertThat(edus(pair.second()).typingCalls()).isEqualTo(secondBefore + 1);
        assertThat(ok(send(pair.first(), txnId)).body()).isEqualTo(answer.body());
    }
}

package de.tim.homeserver.federation.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.MatrixTestClient;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.federation.FakeRemoteRoom;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.matrix.event.Pdu;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A sender retries a transaction (same origin, same txn id) while this server is still processing the first
 * copy (here: waiting for {@code get_missing_events}, held back by the test): the retry waits for the first
 * processing and gets its answer; the transaction is processed once.
 */
class InboundTransactionRetryIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private MeterRegistry meters;

    private FakeRemoteServer remote;
    private FakeRemoteRoom room;
    private TestUser alice;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void setUp() {
        remote = new FakeRemoteServer("retry-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        room = FakeRemoteRoom.create(remote, "carol");
        alice = registerA("alice");
        MatrixTestClient.Response joined = alice.client().post(CS + "/join/" + enc(room.roomId()) + "?server_name="
                + remote.serverName(), alice.accessToken(), map());
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
    }

    @AfterEach
    void tearDown() {
        CountDownLatch gate = room.missingEventsGate;
        if (gate != null) {
            gate.countDown();
        }
        threads.shutdownNow();
    }

    private Pdu message(String body) {
        return room.send(room.creator(), "m.room.message", null, JSON.createObjectNode().put("msgtype", "m.text").put("body", body));
    }

    private double waitedForInFlight() {
        var counter = meters.find(InboundTransactionService.DUPLICATES).tag("state", "in_flight").counter();
        return counter == null ? 0 : counter.count();
    }

    private CompletableFuture<MatrixTestClient.Response> sendAsync(String txnId, Pdu pdu) {
        Map<String, Object> body = Map.of("origin", remote.serverName(), "origin_server_ts", System.currentTimeMillis(),
                "pdus", List.of(pdu.json()));
        return CompletableFuture.supplyAsync(() -> remote.request(a(), A, "PUT", "/_matrix/federation/v1/send/" + txnId, body),
                threads);
    }

    @Test
    void aRetryWhileTheFirstCopyIsProcessedWaitsForItsAnswer() throws Exception {
        message("missed");
        Pdu last = message("after the gap");
        CountDownLatch gate = new CountDownLatch(1);
        room.missingEventsGate = gate;
        double waitedBefore = waitedForInFlight();
        String txnId = "slow-" + System.nanoTime();

        CompletableFuture<MatrixTestClient.Response> first = sendAsync(txnId, last);
        await().atMost(WAIT).until(() -> room.missingEventsRequests.get() == 1);
        CompletableFuture<MatrixTestClient.Response> retry = sendAsync(txnId, last);
        // the retry is parked behind the first (or, processed a second time, asks get_missing_events again)
        await().atMost(WAIT).until(() -> waitedForInFlight() > waitedBefore || room.missingEventsRequests.get() > 1);
        gate.countDown();

        MatrixTestClient.Response firstAnswer = first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        MatrixTestClient.Response retryAnswer = retry.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstAnswer.status()).as(firstAnswer.raw()).isEqualTo(200);
        assertThat(retryAnswer.status()).as(retryAnswer.raw()).isEqualTo(200);
        assertThat(firstAnswer.body().path("pdus").has(last.eventId().value())).as(firstAnswer.raw()).isTrue();
        assertThat(firstAnswer.body().path("pdus").path(last.eventId().value()).has("error")).as(firstAnswer.raw()).isFalse();
        assertThat(retryAnswer.body()).isEqualTo(firstAnswer.body());
        assertThat(room.missingEventsRequests.get()).as("get_missing_events calls").isEqualTo(1);

        // a later retry gets the stored answer without processing
        MatrixTestClient.Response late = sendAsync(txnId, last).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(late.body()).isEqualTo(firstAnswer.body());
        assertThat(room.missingEventsRequests.get()).isEqualTo(1);

        String chunk = messages(alice, room.roomId(), "?dir=b&limit=20").path("chunk").toString();
        assertThat(chunk).contains("after the gap").contains("missed");
    }
}

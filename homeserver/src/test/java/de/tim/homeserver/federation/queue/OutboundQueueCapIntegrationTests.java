package de.tim.homeserver.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import de.tim.homeserver.api.client.room.RoomTestSupport;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FakeRemoteServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The outbound queue of a destination that refuses every transaction stays bounded: the oldest events beyond
 * {@code max-events-per-destination} and those older than {@code max-age} are dropped (with a metric); when the
 * destination takes transactions again it gets what is queued then.
 */
@TestPropertySource(properties = {
        "tim.homeserver.federation.queue.max-events-per-destination=3",
        "tim.homeserver.federation.queue.max-age=3s",
        "tim.homeserver.federation.queue.trim-interval=100ms"})
class OutboundQueueCapIntegrationTests extends RoomTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    private DomainRegistry domains;
    @Autowired
    private MeterRegistry meters;

    private MongoCollection<Document> queue() {
        return domains.byServerName(A).orElseThrow().database().getCollection(OutboundQueueRepository.QUEUE);
    }

    private double dropped(String reason) {
        var counter = meters.find(OutboundQueueTrimmer.METRIC).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aRefusingDestinationsQueueIsCappedByCountAndAge() {
        FakeRemoteServer remote = new FakeRemoteServer("refusing-" + System.nanoTime() % 100000 + ".test");
        EGRESS.register(remote);
        AtomicBoolean accept = new AtomicBoolean(false);
        List<String> received = new CopyOnWriteArrayList<>();
        remote.onPrefix("/_matrix/federation/v1/send/", request -> {
            if (!accept.get()) {
                return new FakeRemoteServer.Answer(403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"go away\"}".getBytes());
            }
            try {
                JSON.readTree(request.body()).path("pdus").forEach(p -> received.add(p.path("content").path("body").asText("")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().putObject("pdus"));
        });
        TestUser carol = registerA("carol");
        String roomId = createRoom(carol, map("preset", "public_chat"));
        String remoteUser = "@erin:" + remote.serverName();
        remote.joinRoom(a(), A, roomId, remoteUser);

        double byCount = dropped("count");
        for (int i = 1; i <= 8; i++) {
            send(carol, roomId, "m" + i);
        }
        // all eight were queued for the destination, at most three stay
        await().atMost(WAIT).until(() -> dropped("count") - byCount >= 5);
        assertThat(queue().countDocuments(Filters.eq("destination", remote.serverName()))).isLessThanOrEqualTo(3);

        // nothing stays longer than max-age
        double byAge = dropped("age");
        await().atMost(WAIT).until(() -> queue().countDocuments(Filters.eq("destination", remote.serverName())) == 0);
        assertThat(dropped("age")).isGreaterThan(byAge);

        // back again: what is queued from now on is delivered
        accept.set(true);
        send(carol, roomId, "after");
        await().atMost(WAIT).until(() -> received.contains("after"));
        assertThat(received).doesNotContain("m1", "m2", "m3", "m4", "m5");
    }
}

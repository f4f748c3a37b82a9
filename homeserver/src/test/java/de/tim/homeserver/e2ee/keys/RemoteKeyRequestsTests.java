package de.tim.homeserver.e2ee.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.error.MatrixException;
import org.junit.jupiter.api.Test;

class RemoteKeyRequestsTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aServerWithoutAnAnswerByTheDeadlineIsCancelledAndTheOthersAnswer() throws Exception {
        RemoteKeyRequests requests = new RemoteKeyRequests();
        CountDownLatch interrupted = new CountDownLatch(1);
        Map<String, Callable<Optional<ObjectNode>>> calls = new LinkedHashMap<>();
        calls.put("slow.example", () -> {
            try {
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return Optional.of(JSON.createObjectNode().put("late", true));
        });
        calls.put("down.example", Optional::empty);
        calls.put("broken.example", () -> {
            throw new IllegalStateException("bug");
        });
        calls.put("fast.example", () -> Optional.of(JSON.createObjectNode().put("answer", 1)));
        try {
            Map<String, Optional<ObjectNode>> answers;
            try (RemoteKeyRequests.Pending pending = requests.start(calls)) {
                answers = requests.await(pending, System.nanoTime(), Duration.ofMillis(200));
            }

            assertThat(answers).containsOnlyKeys("slow.example", "down.example", "broken.example", "fast.example");
            assertThat(answers.get("slow.example")).isEmpty();
            assertThat(answers.get("down.example")).isEmpty();
            assertThat(answers.get("broken.example")).isEmpty();
            assertThat(answers.get("fast.example")).hasValueSatisfying(a -> assertThat(a.path("answer").asInt()).isEqualTo(1));
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the slow request's thread is interrupted").isTrue();
        } finally {
            requests.destroy();
        }
    }

    @Test
    void timeoutOfTheRequest() {
        assertThat(KeyQueryService.timeout(JSON.createObjectNode())).isEqualTo(KeyQueryService.DEFAULT_TIMEOUT);
        assertThat(KeyQueryService.timeout(JSON.createObjectNode().put("timeout", 2500))).isEqualTo(Duration.ofMillis(2500));
        assertThat(KeyQueryService.timeout(JSON.createObjectNode().put("timeout", 0))).isEqualTo(Duration.ZERO);
        assertThat(KeyQueryService.timeout(JSON.createObjectNode().put("timeout", Long.MAX_VALUE)))
                .isEqualTo(KeyQueryService.MAX_TIMEOUT);
        assertThatThrownBy(() -> KeyQueryService.timeout(JSON.createObjectNode().put("timeout", -1)))
                .isInstanceOf(MatrixException.class);
        assertThatThrownBy(() -> KeyQueryService.timeout(JSON.createObjectNode().put("timeout", "10s")))
                .isInstanceOf(MatrixException.class);
    }
}

package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class FederatedE2eeTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode message(int chars) {
        return JSON.createObjectNode().put("ciphertext", "x".repeat(chars));
    }

    @Test
    void toDeviceMessagesAreSplitIntoSmallEdusKeepingEveryMessage() {
        Map<String, Map<String, JsonNode>> messages = new LinkedHashMap<>();
        Map<String, JsonNode> bob = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            bob.put("D" + i, message(400));
        }
        messages.put("@bob:b.test", bob);
        messages.put("@carol:b.test", Map.of("C1", message(10)));

        List<ObjectNode> chunks = FederatedE2ee.chunks(messages, 1000);

        assertThat(chunks).hasSizeGreaterThan(1);
        int total = 0;
        for (ObjectNode chunk : chunks) {
            int chars = chunk.toString().length();
            assertThat(chars).isLessThan(1200);
            total += chunk.path("@bob:b.test").size() + chunk.path("@carol:b.test").size();
        }
        assertThat(total).isEqualTo(6);
    }

    @Test
    void aMessageLargerThanTheLimitGetsAnEduOfItsOwn() {
        List<ObjectNode> chunks = FederatedE2ee.chunks(Map.of("@bob:b.test", Map.of("D1", message(5000))), 1000);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().path("@bob:b.test").has("D1")).isTrue();
    }

    @Test
    void updatesApplyOnlyOnTopOfTheCachedStreamId() {
        RemoteDeviceCacheRepository.Cached cached = new RemoteDeviceCacheRepository.Cached("@bob:b.test", 5L,
                JSON.createObjectNode(), null, null, 0);
        RemoteDeviceCacheRepository.Cached fromQuery = new RemoteDeviceCacheRepository.Cached("@bob:b.test", null,
                JSON.createObjectNode(), null, null, 0);

        assertThat(RemoteDeviceLists.applicable(cached, JSON.createArrayNode().add(5))).isTrue();
        assertThat(RemoteDeviceLists.applicable(cached, JSON.createArrayNode().add(4))).isFalse();
        assertThat(RemoteDeviceLists.applicable(cached, JSON.createArrayNode().add(5).add(4))).isFalse();
        assertThat(RemoteDeviceLists.applicable(cached, JSON.createArrayNode())).isFalse();
        assertThat(RemoteDeviceLists.applicable(fromQuery, JSON.createArrayNode().add(5))).isFalse();
    }
}

package de.tim.homeserver.federation.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DeviceListDiffTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "@alice:a.test";

    private static ObjectNode keys(String deviceId, String curve, String name) {
        ObjectNode keys = JSON.createObjectNode().put("user_id", USER).put("device_id", deviceId);
        keys.putObject("keys").put("curve25519:" + deviceId, curve);
        if (name != null) {
            keys.putObject("unsigned").put("device_display_name", name);
        }
        return keys;
    }

    @Test
    void firstAnnouncementStartsTheChainWithoutPrevId() {
        ObjectNode devices = JSON.createObjectNode();
        devices.set("D1", keys("D1", "c1", null));
        devices.set("D2", keys("D2", "c2", null));

        DeviceListDiff.Result result = DeviceListDiff.of(USER, DeviceListAnnouncementRepository.Announced.NONE, devices,
                JSON.createObjectNode(), false);

        assertThat(result.updates()).hasSize(2);
        assertThat(result.updates().get(0).path("stream_id").asLong()).isEqualTo(1);
        assertThat(result.updates().get(0).path("prev_id")).isEmpty();
        assertThat(result.updates().get(1).path("stream_id").asLong()).isEqualTo(2);
        assertThat(result.updates().get(1).path("prev_id").get(0).asLong()).isEqualTo(1);
        assertThat(result.updates().get(1).path("keys").path("device_id").asText()).isEqualTo("D2");
        assertThat(result.signingKeysChanged()).isFalse();
        assertThat(result.next().streamId()).isEqualTo(2);
        assertThat(result.next().devices()).containsOnlyKeys("D1", "D2");
    }

    @Test
    void onlyChangedAddedAndDeletedDevicesAreAnnounced() {
        ObjectNode before = JSON.createObjectNode();
        before.set("D1", keys("D1", "c1", null));
        before.set("D2", keys("D2", "c2", null));
        DeviceListAnnouncementRepository.Announced announced = new DeviceListAnnouncementRepository.Announced(7,
                Map.of("D1", DeviceListDiff.digest(before.get("D1")), "D2", DeviceListDiff.digest(before.get("D2"))), "");
        ObjectNode now = JSON.createObjectNode();
        now.set("D1", keys("D1", "c1", null));
        now.set("D3", keys("D3", "c3", "Tablet"));

        DeviceListDiff.Result result = DeviceListDiff.of(USER, announced, now, JSON.createObjectNode(), false);

        assertThat(result.updates()).extracting(u -> u.path("device_id").asText()).containsExactly("D3", "D2");
        assertThat(result.updates().get(0).path("prev_id").get(0).asLong()).isEqualTo(7);
        assertThat(result.updates().get(0).has("device_display_name")).isFalse();
        assertThat(result.updates().get(1).path("deleted").asBoolean()).isTrue();
        assertThat(result.updates().get(1).path("prev_id").get(0).asLong()).isEqualTo(8);
        assertThat(result.next().streamId()).isEqualTo(9);
        assertThat(result.next().devices()).containsOnlyKeys("D1", "D3");

        DeviceListDiff.Result again = DeviceListDiff.of(USER, result.next(), now, JSON.createObjectNode(), false);
        assertThat(again.updates()).isEmpty();
        assertThat(again.signingKeysChanged()).isFalse();
    }

    @Test
    void displayNamesOnlyWhenAllowedAndSigningKeyChangesAreNoticed() {
        ObjectNode now = JSON.createObjectNode();
        now.set("D1", keys("D1", "c1", "Praxis-PC"));
        ObjectNode signing = JSON.createObjectNode();
        signing.putObject("master_key").put("user_id", USER);

        DeviceListDiff.Result result = DeviceListDiff.of(USER, DeviceListAnnouncementRepository.Announced.NONE, now, signing, true);

        assertThat(result.updates().getFirst().path("device_display_name").asText()).isEqualTo("Praxis-PC");
        assertThat(result.signingKeysChanged()).isTrue();
        assertThat(DeviceListDiff.of(USER, result.next(), now, signing, true).signingKeysChanged()).isFalse();
    }
}

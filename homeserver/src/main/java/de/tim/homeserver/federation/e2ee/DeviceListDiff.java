package de.tim.homeserver.federation.e2ee;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.e2ee.JsonText;

/**
 * What to tell other servers about a user's devices: the {@code m.device_list_update} contents for every device
 * added, changed or deleted since the last announcement, numbered on from its {@code stream_id}, each naming its
 * predecessor in {@code prev_id} (the first one the announced stream id, none before the first announcement), and
 * whether the master/self-signing keys changed. A pure function of the announcement and the current keys.
 */
final class DeviceListDiff {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The updates to send and the announcement that holds once they are sent. */
    record Result(List<ObjectNode> updates, boolean signingKeysChanged, DeviceListAnnouncementRepository.Announced next) {
    }

    private DeviceListDiff() {
    }

    /**
     * @param devices      device keys by device id as other servers see them
     * @param signingKeys  {@code master_key} / {@code self_signing_key} as other servers see them (empty: none)
     * @param displayNames whether updates carry {@code device_display_name} (from {@code unsigned})
     */
    static Result of(String userId, DeviceListAnnouncementRepository.Announced announced, ObjectNode devices,
            ObjectNode signingKeys, boolean displayNames) {
        Map<String, String> digests = new LinkedHashMap<>();
        devices.properties().forEach(d -> digests.put(d.getKey(), digest(d.getValue())));
        String signingDigest = signingKeys.isEmpty() ? "" : digest(signingKeys);
        List<ObjectNode> updates = new ArrayList<>();
        long streamId = announced.streamId();
        for (Map.Entry<String, String> d : digests.entrySet()) {
            if (!d.getValue().equals(announced.devices().get(d.getKey()))) {
                ObjectNode keys = (ObjectNode) devices.get(d.getKey());
                ObjectNode update = update(userId, d.getKey(), ++streamId);
                JsonNode name = keys.path("unsigned").path("device_display_name");
                if (displayNames && name.isTextual()) {
                    update.put("device_display_name", name.textValue());
                }
                update.set("keys", keys);
                updates.add(update);
            }
        }
        for (String gone : announced.devices().keySet()) {
            if (!digests.containsKey(gone)) {
                updates.add(update(userId, gone, ++streamId).put("deleted", true));
            }
        }
        long prev = announced.streamId();
        for (ObjectNode update : updates) {
            if (prev > 0) {
                update.putArray("prev_id").add(prev);
            } else {
                update.putArray("prev_id");
            }
            prev = update.get("stream_id").longValue();
        }
        boolean signingChanged = !signingDigest.equals(announced.signingKeys() == null ? "" : announced.signingKeys());
        return new Result(updates, signingChanged,
                new DeviceListAnnouncementRepository.Announced(streamId, digests, signingDigest));
    }

    private static ObjectNode update(String userId, String deviceId, long streamId) {
        return F.objectNode().put("user_id", userId).put("device_id", deviceId).put("stream_id", streamId);
    }

    /** A digest of a key object (Jackson's rendering keeps the stored member order, so equal stored keys give equal digests). */
    static String digest(JsonNode node) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(JsonText.write(node).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

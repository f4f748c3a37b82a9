package de.tim.homeserver.federation.e2ee;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.JsonText;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.homeserver.federation.edu.EduSource;
import de.tim.homeserver.federation.edu.ReliableEduSender;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RoomReader;
import org.springframework.stereotype.Component;

/**
 * Tells the servers sharing a room with our users about their device and cross-signing key changes. Scans the
 * device list stream ({@link DeviceListService#changesAfter}) from a persisted cursor up to its watermark; for
 * each change of a local user it compares the user's devices as other servers see them with what was last
 * announced ({@link DeviceListAnnouncementRepository}: a digest per device) and queues one
 * {@code m.device_list_update} per added, changed or deleted device — numbered on from the user's last
 * {@code stream_id}, each naming its predecessor in {@code prev_id} — and an {@code m.signing_key_update} when the
 * master or self-signing key changed, for every server with a member joined to one of the user's rooms. Queue
 * entries are keyed by user and stream id, so a scan repeated after a crash (before the announcement or the
 * cursor was stored) queues the same entries again, which is a no-op.
 */
@Component
class DeviceListAnnouncer implements EduSource {

    static final String STREAM = "device_lists";
    private static final int BATCH = 200;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final DeviceListService deviceLists;
    private final DeviceListAnnouncementRepository announcements;
    private final LocalUserKeys keys;
    private final RoomReader rooms;
    private final FederationRoomReader federationRooms;
    private final ReliableEduSender edus;
    private final FederationE2eeProperties properties;

    DeviceListAnnouncer(DeviceListService deviceLists, DeviceListAnnouncementRepository announcements, LocalUserKeys keys,
            RoomReader rooms, FederationRoomReader federationRooms, ReliableEduSender edus, FederationE2eeProperties properties) {
        this.deviceLists = deviceLists;
        this.announcements = announcements;
        this.keys = keys;
        this.rooms = rooms;
        this.federationRooms = federationRooms;
        this.edus = edus;
        this.properties = properties;
    }

    @Override
    public void scan(Domain domain) {
        long cursor = edus.cursor(domain, STREAM);
        long upTo = deviceLists.upTo(domain);
        if (cursor < 0) {
            // first start: announcements begin now
            edus.setCursor(domain, STREAM, upTo);
            return;
        }
        while (cursor < upTo) {
            List<DeviceListService.Change> changes = deviceLists.changesAfter(domain, cursor, upTo, BATCH);
            if (changes.isEmpty()) {
                cursor = upTo;
            } else {
                Set<String> users = new LinkedHashSet<>();
                for (DeviceListService.Change change : changes) {
                    if (domain.isLocal(change.userId())) {
                        users.add(change.userId());
                    }
                }
                users.forEach(user -> announce(domain, user));
                cursor = changes.getLast().pos();
            }
            edus.setCursor(domain, STREAM, cursor);
        }
    }

    /** Queues what changed for the user since the last announcement. */
    void announce(Domain domain, String userId) {
        DeviceListAnnouncementRepository.Announced announced = announcements.find(domain.database(), userId);
        ObjectNode devices = keys.deviceKeys(domain, userId, List.of());
        ObjectNode signing = keys.signingKeys(domain, userId);
        Map<String, String> digests = new LinkedHashMap<>();
        devices.properties().forEach(d -> digests.put(d.getKey(), digest(d.getValue())));
        String signingDigest = signing.isEmpty() ? "" : digest(signing);

        List<ObjectNode> updates = new ArrayList<>();
        long streamId = announced.streamId();
        for (Map.Entry<String, String> d : digests.entrySet()) {
            if (!d.getValue().equals(announced.devices().get(d.getKey()))) {
                ObjectNode keysOfDevice = (ObjectNode) devices.get(d.getKey());
                ObjectNode update = update(userId, d.getKey(), ++streamId);
                JsonNode name = keysOfDevice.path("unsigned").path("device_display_name");
                if (properties.deviceDisplayNames() && name.isTextual()) {
                    update.put("device_display_name", name.textValue());
                }
                update.set("keys", keysOfDevice);
                updates.add(update);
            }
        }
        for (String gone : announced.devices().keySet()) {
            if (!digests.containsKey(gone)) {
                updates.add(update(userId, gone, ++streamId).put("deleted", true));
            }
        }
        // the chain: every update names its predecessor
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
        if (updates.isEmpty() && !signingChanged) {
            return;
        }
        Set<String> destinations = destinations(domain, userId);
        for (String destination : destinations) {
            for (ObjectNode update : updates) {
                edus.enqueue(domain, destination, "dl\n" + userId + "\n" + update.get("stream_id").longValue(),
                        "m.device_list_update", update);
            }
            if (signingChanged && !signing.isEmpty()) {
                ObjectNode content = signing.deepCopy().put("user_id", userId);
                edus.enqueue(domain, destination, "sk\n" + userId + "\n" + signingDigest, "m.signing_key_update", content);
            }
        }
        announcements.replace(domain.database(), userId, announced.streamId(),
                new DeviceListAnnouncementRepository.Announced(streamId, digests, signingDigest));
    }

    private static ObjectNode update(String userId, String deviceId, long streamId) {
        return F.objectNode().put("user_id", userId).put("device_id", deviceId).put("stream_id", streamId);
    }

    /** The other servers with a member joined to one of the user's rooms. */
    Set<String> destinations(Domain domain, String userId) {
        Set<String> servers = new LinkedHashSet<>();
        for (String roomId : rooms.joinedRooms(domain, userId)) {
            servers.addAll(federationRooms.joinedServers(domain, roomId));
        }
        servers.remove(domain.serverName());
        return servers;
    }

    private static String digest(JsonNode node) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(JsonText.write(node).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package de.tim.homeserver.federation.e2ee;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
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
        ObjectNode signing = keys.signingKeys(domain, userId);
        DeviceListDiff.Result diff = DeviceListDiff.of(userId, announced, keys.deviceKeys(domain, userId, List.of()), signing,
                properties.deviceDisplayNames());
        if (diff.updates().isEmpty() && !diff.signingKeysChanged()) {
            return;
        }
        for (String destination : destinations(domain, userId)) {
            for (ObjectNode update : diff.updates()) {
                edus.enqueue(domain, destination, "dl\n" + userId + "\n" + update.get("stream_id").longValue(),
                        "m.device_list_update", update);
            }
            if (diff.signingKeysChanged() && !signing.isEmpty()) {
                ObjectNode content = signing.deepCopy().put("user_id", userId);
                edus.enqueue(domain, destination, "sk\n" + userId + "\n" + diff.next().signingKeys(), "m.signing_key_update",
                        content);
            }
        }
        announcements.replace(domain.database(), userId, announced.streamId(), diff.next());
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
}

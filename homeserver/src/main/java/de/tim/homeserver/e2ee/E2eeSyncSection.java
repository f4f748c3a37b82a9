package de.tim.homeserver.e2ee;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.homeserver.e2ee.keys.KeysService;
import de.tim.homeserver.e2ee.todevice.ToDeviceService;
import org.springframework.stereotype.Component;

/**
 * The E2EE sections of a {@code /sync} response: {@code to_device}, {@code device_lists},
 * {@code device_one_time_keys_count}, {@code device_unused_fallback_key_types}.
 */
@Component
public class E2eeSyncSection {

    private final ToDeviceService toDevice;
    private final DeviceListService deviceLists;
    private final KeysService keys;

    E2eeSyncSection(ToDeviceService toDevice, DeviceListService deviceLists, KeysService keys) {
        this.toDevice = toDevice;
        this.deviceLists = deviceLists;
        this.keys = keys;
    }

    /** The readable end of the device list stream (for the sync token). */
    public long deviceListsUpTo(Domain domain) {
        return deviceLists.upTo(domain);
    }

    /**
     * Fills the sections into {@code response} and returns the {@code to_device} position for
     * {@code next_batch}. Membership changes are taken from the member events of the response's
     * rooms: joins in joined rooms make users "newly sharing" (reported in {@code changed}), leaves and
     * rooms the user left make candidates for {@code left}; {@code membersOf} gives the current members
     * of a room the user left.
     */
    public long fill(ObjectNode response, Requester requester, boolean initial, long sinceToDevice, long sinceDeviceLists,
            long upToDeviceLists, Function<String, Collection<String>> membersOf) {
        Domain domain = requester.domain();
        ToDeviceService.Delivery delivery = toDevice.deliver(domain, requester.userId(), requester.deviceId(), sinceToDevice);
        ArrayNode events = response.putObject("to_device").putArray("events");
        delivery.events().forEach(events::add);

        ObjectNode lists = response.putObject("device_lists");
        ArrayNode changed = lists.putArray("changed");
        ArrayNode left = lists.putArray("left");
        if (!initial) {
            Set<String> joined = new LinkedHashSet<>();
            Set<String> leftCandidates = new LinkedHashSet<>();
            for (Map.Entry<String, JsonNode> room : response.path("rooms").path("join").properties()) {
                memberEvents(room.getValue(), joined, leftCandidates);
            }
            for (Map.Entry<String, JsonNode> room : response.path("rooms").path("leave").properties()) {
                leftCandidates.addAll(membersOf.apply(room.getKey()));
            }
            if (upToDeviceLists > sinceDeviceLists || !joined.isEmpty() || !leftCandidates.isEmpty()) {
                DeviceListService.Delta delta = deviceLists.delta(domain, requester.userId(), sinceDeviceLists, upToDeviceLists,
                        joined, leftCandidates);
                delta.changed().forEach(changed::add);
                delta.left().forEach(left::add);
            }
        }
        ObjectNode counts = response.putObject("device_one_time_keys_count");
        keys.oneTimeKeyCounts(domain, requester.userId(), requester.deviceId()).forEach(counts::put);
        ArrayNode fallback = response.putArray("device_unused_fallback_key_types");
        keys.unusedFallbackKeyTypes(domain, requester.userId(), requester.deviceId()).forEach(fallback::add);
        return delivery.token();
    }

    private static void memberEvents(JsonNode room, Set<String> joined, Set<String> leftCandidates) {
        for (String section : new String[] {"state", "timeline"}) {
            for (JsonNode e : room.path(section).path("events")) {
                if (!"m.room.member".equals(e.path("type").asText()) || !e.path("state_key").isTextual()) {
                    continue;
                }
                String membership = e.path("content").path("membership").asText();
                String user = e.get("state_key").textValue();
                if ("join".equals(membership)) {
                    joined.add(user);
                    leftCandidates.remove(user);
                } else if ("leave".equals(membership) || "ban".equals(membership)) {
                    leftCandidates.add(user);
                    joined.remove(user);
                }
            }
        }
    }
}

package de.tim.homeserver.federation.e2ee;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.edu.EduSendClaims;
import de.tim.homeserver.federation.edu.EduSource;
import de.tim.homeserver.federation.queue.DestinationBackoff;
import de.tim.homeserver.presence.PresenceService;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RoomReader;
import de.tim.homeserver.stream.StreamPositions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code m.presence} both ways, best effort, with {@code tim.homeserver.federation.e2ee.presence} as the switch.
 * Outbound: presence changes of our users (scanned by stream position, from the position at start-up, tracked in
 * memory) go to the servers with a member joined to one of the user's rooms, once, in their own transaction,
 * skipping destinations in backoff (a lost presence update is replaced by the next one); with several instances each
 * change is sent by the one that claims it ({@link EduSendClaims}). Inbound: presence of the
 * origin's users who share a room with one of ours is stored and shown in our users' syncs.
 */
@Component
public class PresenceFederation implements EduSource {

    private static final Logger log = LoggerFactory.getLogger(PresenceFederation.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int BATCH = 100;
    private static final Set<String> STATES = Set.of("online", "unavailable", "offline");

    private final PresenceService presence;
    private final StreamPositions positions;
    private final RoomReader rooms;
    private final FederationRoomReader federationRooms;
    private final FederationClient client;
    private final DestinationBackoff backoff;
    private final FederationE2eeProperties properties;
    private final EduSendClaims claims;
    private final Map<String, Long> cursors = new ConcurrentHashMap<>();

    PresenceFederation(PresenceService presence, StreamPositions positions, RoomReader rooms, FederationRoomReader federationRooms,
            FederationClient client, DestinationBackoff backoff, FederationE2eeProperties properties, EduSendClaims claims) {
        this.presence = presence;
        this.positions = positions;
        this.rooms = rooms;
        this.federationRooms = federationRooms;
        this.client = client;
        this.backoff = backoff;
        this.properties = properties;
        this.claims = claims;
    }

    @Override
    public void scan(Domain domain) {
        if (!properties.presence()) {
            return;
        }
        Long cursor = cursors.get(domain.databaseName());
        if (cursor == null) {
            cursors.put(domain.databaseName(), positions.current(domain, StreamPositions.PRESENCE));
            return;
        }
        List<PresenceService.Change> changes = presence.changedAfter(domain, cursor, BATCH);
        if (changes.isEmpty()) {
            return;
        }
        cursors.put(domain.databaseName(), changes.getLast().pos());
        Map<String, List<ObjectNode>> byDestination = new HashMap<>();
        for (PresenceService.Change change : changes) {
            if (!domain.isLocal(change.userId())) {
                continue;
            }
            ObjectNode push = F.objectNode().put("user_id", change.userId()).put("presence", change.status().presence())
                    .put("last_active_ago", change.status().lastActiveAgo() == null ? 0 : change.status().lastActiveAgo());
            if (change.status().currentlyActive() != null) {
                push.put("currently_active", change.status().currentlyActive());
            }
            if (change.status().statusMsg() != null) {
                push.put("status_msg", change.status().statusMsg());
            }
            Set<String> destinations = destinations(domain, change.userId());
            if (destinations.isEmpty() || !claims.claim(domain, "m.presence", change.pos())) {
                continue; // another instance sends this change
            }
            for (String destination : destinations) {
                byDestination.computeIfAbsent(destination, d -> new ArrayList<>()).add(push);
            }
        }
        long now = System.currentTimeMillis();
        byDestination.forEach((destination, pushes) -> {
            if (!backoff.isBackingOff(domain, destination, now)) {
                Thread.ofVirtual().name("federation-presence").start(() -> send(domain, destination, pushes));
            }
        });
    }

    private Set<String> destinations(Domain domain, String userId) {
        Set<String> servers = new LinkedHashSet<>();
        for (String roomId : rooms.joinedRooms(domain, userId)) {
            servers.addAll(federationRooms.joinedServers(domain, roomId));
        }
        servers.remove(domain.serverName());
        return servers;
    }

    private void send(Domain domain, String destination, List<ObjectNode> pushes) {
        ObjectNode body = F.objectNode().put("origin", domain.serverName()).put("origin_server_ts", System.currentTimeMillis());
        body.putArray("pdus");
        ObjectNode edu = body.putArray("edus").addObject().put("edu_type", "m.presence");
        edu.putObject("content").putArray("push").addAll(pushes);
        String txnId = "pr" + System.currentTimeMillis() + "-" + Integer.toHexString(System.identityHashCode(pushes));
        try {
            client.send(domain, destination, "PUT", "/_matrix/federation/v1/send/" + txnId, body);
        } catch (FederationException e) {
            log.debug("Presence to a destination was not delivered: {}", e.getMessage());
        }
    }

    /** Inbound {@code m.presence}: each entry about a user of the origin who shares a room with one of ours. */
    public void receive(Domain domain, String origin, JsonNode content) {
        if (!properties.presence()) {
            return;
        }
        for (JsonNode push : content.path("push")) {
            String userId = push.path("user_id").asText(null);
            String state = push.path("presence").asText(null);
            if (userId == null || state == null || !STATES.contains(state) || !Edus.isUserOf(userId, origin)
                    || domain.isLocal(userId) || rooms.joinedRooms(domain, userId).isEmpty()) {
                continue;
            }
            long ago = push.path("last_active_ago").canConvertToLong() ? push.get("last_active_ago").longValue() : 0;
            String statusMsg = push.path("status_msg").isTextual() ? push.get("status_msg").textValue() : null;
            presence.setRemote(domain, userId, state, statusMsg, ago);
        }
    }
}

package de.tim.homeserver.federation.e2ee;

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
import de.tim.homeserver.federation.edu.ReliableEduSender;
import de.tim.homeserver.federation.queue.DestinationBackoff;
import de.tim.homeserver.presence.PresenceService;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RoomReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code m.presence} both ways, with {@code tim.homeserver.federation.e2ee.presence} as the switch.
 * Outbound: presence changes of our users (scanned by stream position up to the read watermark from a persisted
 * cursor, {@value #CURSOR} in {@code federation_outbound_edu_cursors}; the first scan of a domain starts at the
 * beginning of the stream) go to the servers with a member joined to one of the user's rooms; with several instances each change is
 * taken by the one instance that claims it ({@link EduSendClaims}). Per destination the latest undelivered presence
 * of each user is kept in memory until the destination accepts a transaction carrying it: a destination in backoff
 * or a failed transaction (which backs the destination off, {@link DestinationBackoff}) keeps it for a later round,
 * a newer change of the user replaces it, a refusal of the transaction itself (400, 413) drops it. So a change is not
 * lost while the instance that claimed it runs (it is lost if that instance stops first). Inbound: presence of the
 * origin's users who share a room with one of ours is stored and shown in our users' syncs.
 */
@Component
public class PresenceFederation implements EduSource {

    private static final Logger log = LoggerFactory.getLogger(PresenceFederation.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int BATCH = 100;
    /** The persisted scan cursor ({@code federation_outbound_edu_cursors}). */
    static final String CURSOR = "presence";
    private static final Set<String> STATES = Set.of("online", "unavailable", "offline");

    private final PresenceService presence;
    private final RoomReader rooms;
    private final FederationRoomReader federationRooms;
    private final FederationClient client;
    private final DestinationBackoff backoff;
    private final FederationE2eeProperties properties;
    private final EduSendClaims claims;
    private final ReliableEduSender edus;
    /** Per domain (database name) and destination: the latest undelivered presence per user. */
    private final Map<String, Map<String, Map<String, Pending>>> pending = new ConcurrentHashMap<>();
    /** Domain (database name) + destination with a presence transaction in flight. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * A user's presence for a destination: the change's stream position, the push (without {@code last_active_ago},
     * counted at sending from {@code lastActiveTs}), whether a send failed.
     */
    private record Pending(long pos, ObjectNode push, long lastActiveTs, boolean retried) {

        ObjectNode toSend(long now) {
            return push.deepCopy().put("last_active_ago", Math.max(0, now - lastActiveTs));
        }
    }

    PresenceFederation(PresenceService presence, RoomReader rooms, FederationRoomReader federationRooms,
            FederationClient client, DestinationBackoff backoff, FederationE2eeProperties properties, EduSendClaims claims,
            ReliableEduSender edus) {
        this.presence = presence;
        this.edus = edus;
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
        // first start: from the beginning, so a change made before the first round (the server answers clients
        // before its EDU loop ran) is not skipped; the stream holds one document per user, the current presence
        long cursor = Math.max(0, edus.cursor(domain, CURSOR));
        List<PresenceService.Change> changes = presence.changedAfter(domain, cursor, BATCH);
        if (!changes.isEmpty()) {
            take(domain, changes);
            edus.setCursor(domain, CURSOR, changes.getLast().pos());
        }
        flush(domain);
    }

    /** Puts the changes of our users this instance claims into their destinations' pending presence. */
    private void take(Domain domain, List<PresenceService.Change> changes) {
        Map<String, Map<String, Pending>> byDestination = pending.computeIfAbsent(domain.databaseName(),
                d -> new ConcurrentHashMap<>());
        for (PresenceService.Change change : changes) {
            if (!domain.isLocal(change.userId())) {
                continue;
            }
            ObjectNode push = F.objectNode().put("user_id", change.userId()).put("presence", change.status().presence());
            long lastActiveTs = System.currentTimeMillis()
                    - (change.status().lastActiveAgo() == null ? 0 : change.status().lastActiveAgo());
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
            Pending next = new Pending(change.pos(), push, lastActiveTs, false);
            for (String destination : destinations) {
                byDestination.computeIfAbsent(destination, d -> new ConcurrentHashMap<>())
                        .merge(change.userId(), next, (old, now) -> now.pos() >= old.pos() ? now : old);
            }
        }
    }

    /** Sends the pending presence of each destination that is neither backing off nor has a transaction in flight. */
    private void flush(Domain domain) {
        Map<String, Map<String, Pending>> byDestination = pending.get(domain.databaseName());
        if (byDestination == null) {
            return;
        }
        long now = System.currentTimeMillis();
        byDestination.forEach((destination, users) -> {
            String key = domain.databaseName() + "\n" + destination;
            if (users.isEmpty() || backoff.isBackingOff(domain, destination, now) || !inFlight.add(key)) {
                return;
            }
            Map<String, Pending> batch = new HashMap<>();
            for (Map.Entry<String, Pending> e : users.entrySet()) {
                // a retry goes only where the user still shares a room (they may have left meanwhile)
                if (e.getValue().retried() && !destinations(domain, e.getKey()).contains(destination)) {
                    users.remove(e.getKey(), e.getValue());
                } else if (batch.size() < BATCH) {
                    batch.put(e.getKey(), e.getValue());
                }
            }
            if (batch.isEmpty()) {
                inFlight.remove(key);
                return;
            }
            Thread.ofVirtual().name("federation-presence").start(() -> {
                try {
                    send(domain, destination, users, batch);
                } finally {
                    inFlight.remove(key);
                }
            });
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

    private void send(Domain domain, String destination, Map<String, Pending> users, Map<String, Pending> batch) {
        ObjectNode body = F.objectNode().put("origin", domain.serverName()).put("origin_server_ts", System.currentTimeMillis());
        body.putArray("pdus");
        ObjectNode edu = body.putArray("edus").addObject().put("edu_type", "m.presence");
        var push = edu.putObject("content").putArray("push");
        long now = System.currentTimeMillis();
        batch.values().forEach(p -> push.add(p.toSend(now)));
        String txnId = "pr" + System.currentTimeMillis() + "-" + Integer.toHexString(System.identityHashCode(batch));
        try {
            client.send(domain, destination, "PUT", "/_matrix/federation/v1/send/" + txnId, body);
            batch.forEach(users::remove); // unless a newer change replaced it meanwhile
            backoff.succeeded(domain, destination);
        } catch (FederationException e) {
            if (e.isStatus(400) || e.isStatus(413)) {
                batch.forEach(users::remove); // it would be refused forever
                log.info("A destination refused a presence transaction; dropped: {}", e.getMessage());
                return;
            }
            // kept for a later round (a newer change of the user replaces it)
            batch.forEach((user, p) -> users.replace(user, p, new Pending(p.pos(), p.push(), p.lastActiveTs(), true)));
            long delay = backoff.failed(domain, destination);
            log.info("Presence to a destination was not delivered, retrying in {} ms: {}", delay, e.getMessage());
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

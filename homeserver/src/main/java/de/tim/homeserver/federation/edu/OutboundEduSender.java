package de.tim.homeserver.federation.edu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.room.EphemeralChanges;
import de.tim.homeserver.room.FederationRoomReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Outbound EDUs {@code m.typing} and {@code m.receipt} ({@code m.read}) of local users to the other
 * servers joined to the room, best effort: sent once right after the change in their own transaction
 * (no queue, no retry; typing expires anyway, a newer receipt replaces an older one). Positions are
 * tracked in memory from the first scan on, so a restart does not resend old ones. Every instance scans the shared
 * streams; each change is sent by the one instance that claims it ({@link EduSendClaims}). EDUs that must not
 * be lost go through {@link ReliableEduSender}; presence is sent by {@code federation.e2ee.PresenceFederation}.
 */
@Component
public class OutboundEduSender {

    private static final Logger log = LoggerFactory.getLogger(OutboundEduSender.class);
    private static final int MAX_EDUS = 100;

    private final EphemeralChanges changes;
    private final FederationRoomReader reader;
    private final FederationClient client;
    private final EduSendClaims claims;
    private final Map<String, long[]> cursors = new ConcurrentHashMap<>();

    OutboundEduSender(EphemeralChanges changes, FederationRoomReader reader, FederationClient client, EduSendClaims claims) {
        this.claims = claims;
        this.changes = changes;
        this.reader = reader;
        this.client = client;
    }

    /** Sends the EDUs for changes since the last call. */
    public void scan(Domain domain) {
        long typingUpTo = changes.currentTyping(domain);
        long receiptsUpTo = changes.currentReceipts(domain);
        long[] cursor = cursors.putIfAbsent(domain.databaseName(), new long[] {typingUpTo, receiptsUpTo});
        if (cursor == null) {
            return;
        }
        Map<String, List<ObjectNode>> byDestination = new HashMap<>();
        long now = System.currentTimeMillis();
        if (typingUpTo > cursor[0]) {
            for (EphemeralChanges.Typing t : changes.typing(domain, cursor[0], typingUpTo)) {
                List<String> servers = domain.isLocal(t.userId()) ? otherServers(domain, t.roomId()) : List.of();
                if (!servers.isEmpty() && claims.claim(domain, "m.typing", t.pos())) {
                    ObjectNode content = JsonNodeFactory.instance.objectNode().put("room_id", t.roomId())
                            .put("user_id", t.userId()).put("typing", t.until() > now);
                    addFor(servers, edu("m.typing", content), byDestination);
                }
            }
            cursor[0] = typingUpTo;
        }
        if (receiptsUpTo > cursor[1]) {
            for (EphemeralChanges.Receipt r : changes.readReceipts(domain, cursor[1], receiptsUpTo)) {
                List<String> servers = domain.isLocal(r.userId()) ? otherServers(domain, r.roomId()) : List.of();
                if (!servers.isEmpty() && claims.claim(domain, "m.receipt", r.pos())) {
                    ObjectNode content = JsonNodeFactory.instance.objectNode();
                    ObjectNode receipt = content.putObject(r.roomId()).putObject("m.read").putObject(r.userId());
                    receipt.putArray("event_ids").add(r.eventId());
                    ObjectNode data = receipt.putObject("data").put("ts", r.ts());
                    if (r.threadId() != null) {
                        data.put("thread_id", r.threadId());
                    }
                    addFor(servers, edu("m.receipt", content), byDestination);
                }
            }
            cursor[1] = receiptsUpTo;
        }
        byDestination.forEach((destination, edus) -> Thread.ofVirtual().name("federation-edu")
                .start(() -> send(domain, destination, edus)));
    }

    /** The other servers joined to the room (the EDU's destinations). */
    private List<String> otherServers(Domain domain, String roomId) {
        List<String> servers = new ArrayList<>(reader.joinedServers(domain, roomId));
        servers.remove(domain.serverName());
        return servers;
    }

    private static void addFor(List<String> servers, ObjectNode edu, Map<String, List<ObjectNode>> byDestination) {
        for (String server : servers) {
            List<ObjectNode> list = byDestination.computeIfAbsent(server, s -> new ArrayList<>());
            if (list.size() < MAX_EDUS) {
                list.add(edu);
            }
        }
    }

    private static ObjectNode edu(String type, ObjectNode content) {
        ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", type);
        edu.set("content", content);
        return edu;
    }

    private void send(Domain domain, String destination, List<ObjectNode> edus) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("origin", domain.serverName());
        body.put("origin_server_ts", System.currentTimeMillis());
        body.putArray("pdus");
        body.putArray("edus").addAll(edus);
        String txnId = "e" + System.currentTimeMillis() + "-" + Integer.toHexString(System.identityHashCode(edus));
        try {
            client.send(domain, destination, "PUT", "/_matrix/federation/v1/send/" + txnId, body);
        } catch (FederationException e) {
            log.debug("EDUs to a destination were not delivered: {}", e.getMessage());
        }
    }
}

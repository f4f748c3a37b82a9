package de.tim.homeserver.federation.transaction;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.room.BackfillImport;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.OutlierImport;
import de.tim.homeserver.room.RemoteHistory;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduVerification;
import de.tim.matrix.event.PduVerifier;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Outbound backfill: asks a server in the room for the events before the room's backfill frontier
 * ({@code GET /_matrix/federation/v1/backfill/{roomId}?v=…&limit=}), checks each like a received PDU (format,
 * room, signatures, hashes; redacted on a hash mismatch), learns the state before the oldest ones from the same
 * server ({@code state_ids}, {@link StateGapFetcher}) and unknown auth events ({@link AuthEventFetcher}), and hands
 * the batch to {@link BackfillImport} for the auth checks and storage. Servers are tried in turn (the room's
 * creating server first, then the others with joined members), at most {@value #MAX_SERVERS}, each answering within
 * {@link #SERVER_TIMEOUT} (the client's {@code /messages} waits); when none brings
 * anything new the room is not asked again for {@link #RETRY}. One backfill per room and instance at a time.
 */
@Component
class Backfiller implements RemoteHistory {

    private static final Logger log = LoggerFactory.getLogger(Backfiller.class);
    static final int MAX_SERVERS = 3;
    static final int MAX_LIMIT = 100;
    static final int MIN_LIMIT = 20;
    static final int MAX_FROM = 20;
    static final int MAX_STATE_FETCHES = 5;
    static final int MAX_AUTH_FETCHES = 10;
    static final Duration RETRY = Duration.ofMinutes(5);
    /** Longest wait for one server's {@code /backfill} answer (a client waits for the page meanwhile). */
    static final Duration SERVER_TIMEOUT = Duration.ofSeconds(10);
    private static final int STRIPES = 64;

    private final FederationClient client;
    private final FederationRoomReader reader;
    private final EventAuthorizers authorizers;
    private final BackfillImport history;
    private final StateGapFetcher states;
    private final AuthEventFetcher authFetcher;
    private final OutlierImport outliers;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    Backfiller(FederationClient client, FederationRoomReader reader, EventAuthorizers authorizers, BackfillImport history,
            StateGapFetcher states, AuthEventFetcher authFetcher, OutlierImport outliers) {
        this.client = client;
        this.reader = reader;
        this.authorizers = authorizers;
        this.history = history;
        this.states = states;
        this.authFetcher = authFetcher;
        this.outliers = outliers;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    @Override
    public boolean fetchOlder(Domain domain, String roomId, int wanted) {
        ReentrantLock lock = locks[Math.floorMod((domain.databaseName() + roomId).hashCode(), STRIPES)];
        lock.lock();
        try {
            List<String> frontier = history.frontier(domain, roomId);
            RoomVersion version = reader.roomVersion(domain, roomId).flatMap(RoomVersion::fromId).orElse(null);
            if (frontier.isEmpty() || version == null) {
                return false;
            }
            int limit = Math.max(MIN_LIMIT, Math.min(MAX_LIMIT, wanted * 2));
            for (String server : servers(domain, roomId)) {
                List<Pdu> batch = fetch(domain, server, roomId, version, frontier, limit);
                if (batch == null || batch.isEmpty()) {
                    continue;
                }
                BackfillImport.Result result = importBatch(domain, server, roomId, batch);
                if (result.stored() > 0 || !result.frontier().equals(frontier)) {
                    return true;
                }
            }
            history.retryAfter(domain, roomId, System.currentTimeMillis() + RETRY.toMillis());
            return false;
        } finally {
            lock.unlock();
        }
    }

    private BackfillImport.Result importBatch(Domain domain, String server, String roomId, List<Pdu> batch) {
        PduVerifier verifier = authorizers.verifier(domain);
        EventAuthorizer authorizer = authorizers.authorizer(domain);
        Map<String, List<String>> stateBefore = new HashMap<>();
        StateGapFetcher.Budget budget = new StateGapFetcher.Budget();
        List<Pdu> roots = new ArrayList<>(history.needingState(domain, roomId, batch));
        roots.sort(Comparator.comparingLong(Pdu::depth).reversed());
        for (Pdu root : roots.subList(0, Math.min(roots.size(), MAX_STATE_FETCHES))) {
            List<String> ids = states.stateBefore(domain, server, root, verifier, authorizer, budget);
            if (ids != null) {
                stateBefore.put(root.eventId().value(), ids);
            }
        }
        Set<String> inBatch = new HashSet<>();
        batch.forEach(p -> inBatch.add(p.eventId().value()));
        int authFetches = 0;
        for (Pdu pdu : batch) {
            Set<String> authIds = new LinkedHashSet<>();
            for (EventId id : pdu.authEvents()) {
                if (!inBatch.contains(id.value())) {
                    authIds.add(id.value());
                }
            }
            if (!outliers.unknown(domain, authIds).isEmpty() && authFetches++ < MAX_AUTH_FETCHES) {
                authFetcher.fetch(domain, server, pdu, verifier, authorizer);
            }
        }
        BackfillImport.Result result = history.importBatch(domain, roomId, batch, stateBefore, authorizer);
        log.debug("Backfilled {} events ({} rejected) of a room from {}", result.stored(), result.rejected(), server);
        return result;
    }

    /** The checked PDUs of one {@code /backfill} answer; null if the server failed. */
    private List<Pdu> fetch(Domain domain, String server, String roomId, RoomVersion version, List<String> frontier, int limit) {
        StringBuilder path = new StringBuilder("/_matrix/federation/v1/backfill/").append(enc(roomId)).append("?limit=").append(limit);
        frontier.stream().limit(MAX_FROM).forEach(id -> path.append("&v=").append(enc(id)));
        JsonNode answer;
        try {
            answer = client.send(domain, server, "GET", path.toString(), null, SERVER_TIMEOUT);
        } catch (FederationException e) {
            log.debug("Backfill from {} failed: {}", server, e.getMessage());
            return null;
        }
        PduVerifier verifier = authorizers.verifier(domain);
        RoomId room = RoomId.parse(roomId);
        List<Pdu> batch = new ArrayList<>();
        for (JsonNode node : answer.path("pdus")) {
            if (batch.size() >= MAX_LIMIT) {
                break;
            }
            if (node instanceof ObjectNode json) {
                PduVerification v = verifier.verify(json.deepCopy(), version, room);
                if (v.outcome() != PduVerification.Outcome.DROP) {
                    batch.add(v.pdu().orElseThrow());
                }
            }
        }
        return batch;
    }

    /** Other servers with joined members, the server that created the room first. */
    private List<String> servers(Domain domain, String roomId) {
        Set<String> servers = new LinkedHashSet<>();
        String creator = roomId.substring(roomId.indexOf(':') + 1);
        Set<String> joined = reader.joinedServers(domain, roomId);
        if (joined.contains(creator)) {
            servers.add(creator);
        }
        servers.addAll(joined);
        servers.remove(domain.serverName());
        return servers.stream().limit(MAX_SERVERS).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

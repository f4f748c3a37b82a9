package de.tim.homeserver.federation;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.matrix.auth.AuthEventSelection;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduBuilder;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.StrictJson;

/**
 * A room resident on a {@link FakeRemoteServer}: the test builds its DAG (events signed by the remote),
 * and the remote answers the federation requests about it from that DAG — {@code make_join},
 * {@code send_join} v2, {@code event}, {@code event_auth}, {@code state_ids}, {@code get_missing_events}
 * (at most {@link #missingEventsLimit} events) and {@code send} (PDUs of the server under test join the DAG
 * unchecked). Not thread-safe against concurrent builders; the handlers only read under the room's lock.
 */
public final class FakeRemoteRoom {

    public static final RoomVersion VERSION = RoomVersion.V10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeRemoteServer remote;
    private final RoomId roomId;
    private final String creator;
    private final Map<String, Pdu> events = new HashMap<>();
    private final Map<String, Map<StateKey, String>> stateBefore = new HashMap<>();
    private Map<StateKey, String> state = new HashMap<>();
    private List<String> head = List.of();
    private long depth;
    /** Event ids of the joins received with {@code send_join}. */
    public final List<String> sendJoins = new CopyOnWriteArrayList<>();
    public final AtomicInteger eventAuthRequests = new AtomicInteger();
    public final AtomicInteger eventRequests = new AtomicInteger();
    public final AtomicInteger stateIdsRequests = new AtomicInteger();
    public final AtomicInteger missingEventsRequests = new AtomicInteger();
    /** Most events one {@code get_missing_events} answer holds (the remote "gives up" after that). */
    public volatile int missingEventsLimit = 10;
    /** How many {@code get_missing_events} requests get events; later ones get none (a remote that stops paging). */
    public volatile int missingEventsServed = Integer.MAX_VALUE;
    /** If set, {@code get_missing_events} answers only once it is counted down (at most 60 s), outside the room's lock. */
    public volatile CountDownLatch missingEventsGate;
    public final AtomicInteger backfillRequests = new AtomicInteger();
    /** Whether {@code backfill} is answered (else 404). */
    public volatile boolean serveBackfill = true;
    /** Changes the PDUs of each {@code backfill} answer before they are sent (a misbehaving server). */
    public volatile java.util.function.UnaryOperator<List<ObjectNode>> backfillTamper = pdus -> pdus;
    /** Whether {@code event_auth} is answered (else 404, so the server under test must use {@code /event}). */
    public volatile boolean serveEventAuth = true;

    private FakeRemoteRoom(FakeRemoteServer remote, String creatorLocalpart) {
        this.remote = remote;
        this.roomId = RoomId.parse("!room" + System.nanoTime() % 1_000_000 + ":" + remote.serverName());
        this.creator = "@" + creatorLocalpart + ":" + remote.serverName();
    }

    /** A public room created by {@code @creatorLocalpart} on the remote, with the handlers registered. */
    public static FakeRemoteRoom create(FakeRemoteServer remote, String creatorLocalpart) {
        FakeRemoteRoom room = new FakeRemoteRoom(remote, creatorLocalpart);
        room.send(room.creator, "m.room.create", "", JSON.createObjectNode().put("creator", room.creator).put("room_version", "10"));
        room.send(room.creator, "m.room.member", room.creator, JSON.createObjectNode().put("membership", "join"));
        ObjectNode levels = JSON.createObjectNode();
        levels.putObject("users").put(room.creator, 100);
        room.send(room.creator, "m.room.power_levels", "", levels);
        room.send(room.creator, "m.room.join_rules", "", JSON.createObjectNode().put("join_rule", "public"));
        room.send(room.creator, "m.room.history_visibility", "", JSON.createObjectNode().put("history_visibility", "shared"));
        room.register();
        return room;
    }

    public String roomId() {
        return roomId.value();
    }

    public String creator() {
        return creator;
    }

    public FakeRemoteServer remote() {
        return remote;
    }

    public synchronized List<String> head() {
        return head;
    }

    public synchronized String stateId(String type, String stateKey) {
        return state.get(StateKey.of(type, stateKey));
    }

    public synchronized Pdu event(String eventId) {
        return events.get(eventId);
    }

    /** Builds, signs and appends an event on the head (state applied). */
    public synchronized Pdu send(String sender, String type, String stateKey, JsonNode content) {
        return add(build(sender, type, stateKey, content, head, state, depth + 1));
    }

    /** Builds and signs an event on the given prev events and auth state, without adding it to the DAG. */
    public synchronized Pdu build(String sender, String type, String stateKey, JsonNode content, List<String> prev,
            Map<StateKey, String> authState, long eventDepth) {
        Map<StateKey, EventId> ids = new HashMap<>();
        authState.forEach((k, v) -> ids.put(k, new EventId(v)));
        List<EventId> auth = type.equals("m.room.create") ? List.of()
                : AuthEventSelection.authEvents(type, stateKey, sender, content, ids);
        PduBuilder builder = PduBuilder.forVersion(VERSION).roomId(roomId).sender(UserId.parse(sender)).type(type)
                .content(content).prevEvents(prev.stream().map(EventId::new).toList()).authEvents(auth).depth(eventDepth)
                .originServerTs(System.currentTimeMillis());
        if (stateKey != null) {
            builder.stateKey(stateKey);
        }
        return builder.build(ServerName.parse(remote.serverName()), remote.key());
    }

    /** The current state (a copy), e.g. as auth state for {@link #build}. */
    public synchronized Map<StateKey, String> state() {
        return new HashMap<>(state);
    }

    public synchronized long depth() {
        return depth;
    }

    /** Adds an event on the head (its prev events replace the head), applying it to the state. */
    public synchronized Pdu add(Pdu pdu) {
        String id = pdu.eventId().value();
        if (events.containsKey(id)) {
            return pdu;
        }
        events.put(id, pdu);
        stateBefore.put(id, new HashMap<>(state));
        pdu.stateTuple().ifPresent(key -> state.put(key, id));
        List<String> newHead = new ArrayList<>(head);
        pdu.prevEvents().forEach(p -> newHead.remove(p.value()));
        newHead.add(id);
        head = List.copyOf(newHead);
        depth = Math.max(depth, pdu.depth());
        return pdu;
    }

    /** Sends PDUs to the server under test in one transaction signed by the remote; the per-PDU answer. */
    public JsonNode push(MatrixTestClient client, String destination, List<Pdu> pdus) {
        List<ObjectNode> json = pdus.stream().map(Pdu::json).toList();
        MatrixTestClient.Response r = remote.request(client, destination, "PUT", "/_matrix/federation/v1/send/t"
                + System.nanoTime(), Map.of("origin", remote.serverName(), "origin_server_ts", System.currentTimeMillis(),
                "pdus", json));
        if (r.status() != 200) {
            throw new AssertionError("transaction refused: " + r.raw());
        }
        return r.body().path("pdus");
    }

    /** The auth chain of the events (not including them). */
    public synchronized List<Pdu> authChain(Set<String> of) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        of.forEach(id -> events.get(id).authEvents().forEach(a -> queue.add(a.value())));
        while (!queue.isEmpty()) {
            String id = queue.poll();
            if (seen.add(id) && events.containsKey(id)) {
                events.get(id).authEvents().forEach(a -> queue.add(a.value()));
            }
        }
        return seen.stream().map(events::get).filter(java.util.Objects::nonNull).toList();
    }

    private void register() {
        String room = "/" + enc(roomId.value());
        remote.onPrefix("/_matrix/federation/v1/make_join" + room + "/", r -> makeJoin(last(r)));
        remote.onPrefix("/_matrix/federation/v2/send_join" + room + "/", r -> sendJoin(r));
        remote.onPrefix("/_matrix/federation/v1/event_auth" + room + "/", r -> eventAuth(last(r)));
        remote.onPrefix("/_matrix/federation/v1/state_ids" + room, r -> stateIds(query(r, "event_id")));
        remote.onPrefix("/_matrix/federation/v1/get_missing_events" + room, r -> {
            int request = missingEventsRequests.incrementAndGet();
            awaitGate(missingEventsGate);
            return request > missingEventsServed
                    ? FakeRemoteServer.Answer.json(200, JSON.createObjectNode().set("events", JSON.createArrayNode()))
                    : missingEvents(r);
        });
        remote.onPrefix("/_matrix/federation/v1/event/", r -> serveEvent(last(r)));
        remote.onPrefix("/_matrix/federation/v1/backfill" + room, r -> backfill(r));
        remote.onPrefix("/_matrix/federation/v1/send/", r -> received(r));
    }

    private synchronized FakeRemoteServer.Answer makeJoin(String userId) {
        ObjectNode template = JSON.createObjectNode();
        Map<StateKey, EventId> ids = new HashMap<>();
        state.forEach((k, v) -> ids.put(k, new EventId(v)));
        ObjectNode content = JSON.createObjectNode().put("membership", "join");
        template.put("room_id", roomId.value()).put("sender", userId).put("type", "m.room.member").put("state_key", userId)
                .put("origin", userId.substring(userId.indexOf(':') + 1)).put("origin_server_ts", System.currentTimeMillis())
                .put("depth", depth + 1).set("content", content);
        head.forEach(template.putArray("prev_events")::add);
        ArrayNode auth = template.putArray("auth_events");
        AuthEventSelection.authEvents("m.room.member", userId, userId, content, ids).forEach(a -> auth.add(a.value()));
        ObjectNode answer = JSON.createObjectNode().put("room_version", "10");
        answer.set("event", template);
        return FakeRemoteServer.Answer.json(200, answer);
    }

    private synchronized FakeRemoteServer.Answer sendJoin(FakeRemoteServer.Request r) {
        Pdu join = Pdu.fromJson((ObjectNode) StrictJson.parse(r.body()), VERSION);
        Map<StateKey, String> before = new HashMap<>(state);
        add(join);
        sendJoins.add(join.eventId().value());
        ObjectNode answer = JSON.createObjectNode().put("origin", remote.serverName()).put("members_omitted", false);
        ArrayNode stateArray = answer.putArray("state");
        before.values().forEach(id -> stateArray.add(events.get(id).json()));
        ArrayNode chain = answer.putArray("auth_chain");
        authChain(new HashSet<>(before.values())).forEach(p -> chain.add(p.json()));
        answer.set("event", join.json());
        return FakeRemoteServer.Answer.json(200, answer);
    }

    private synchronized FakeRemoteServer.Answer eventAuth(String eventId) {
        eventAuthRequests.incrementAndGet();
        if (!serveEventAuth || !events.containsKey(eventId)) {
            return notFound();
        }
        ArrayNode chain = JSON.createArrayNode();
        authChain(Set.of(eventId)).forEach(p -> chain.add(p.json()));
        return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().set("auth_chain", chain));
    }

    /** The events named by {@code v} and their predecessors, newest (by depth) first, at most {@code limit}. */
    private FakeRemoteServer.Answer backfill(FakeRemoteServer.Request r) {
        backfillRequests.incrementAndGet();
        if (!serveBackfill) {
            return notFound();
        }
        List<ObjectNode> pdus = new ArrayList<>();
        synchronized (this) {
            int limit = Integer.parseInt(query(r, "limit"));
            java.util.PriorityQueue<Pdu> queue = new java.util.PriorityQueue<>(Comparator.comparingLong(Pdu::depth).reversed());
            Set<String> seen = new HashSet<>();
            for (String id : queryAll(r, "v")) {
                if (events.containsKey(id) && seen.add(id)) {
                    queue.add(events.get(id));
                }
            }
            while (!queue.isEmpty() && pdus.size() < limit) {
                Pdu next = queue.poll();
                pdus.add(next.json());
                for (EventId prev : next.prevEvents()) {
                    if (events.containsKey(prev.value()) && seen.add(prev.value())) {
                        queue.add(events.get(prev.value()));
                    }
                }
            }
        }
        ObjectNode answer = JSON.createObjectNode().put("origin", remote.serverName()).put("origin_server_ts", 1);
        ArrayNode array = answer.putArray("pdus");
        backfillTamper.apply(pdus).forEach(array::add);
        return FakeRemoteServer.Answer.json(200, answer);
    }

    private static List<String> queryAll(FakeRemoteServer.Request r, String name) {
        String path = r.pathAndQuery();
        int q = path.indexOf('?');
        List<String> values = new ArrayList<>();
        if (q >= 0) {
            for (String part : path.substring(q + 1).split("&")) {
                if (part.startsWith(name + "=")) {
                    values.add(URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private synchronized FakeRemoteServer.Answer serveEvent(String eventId) {
        eventRequests.incrementAndGet();
        Pdu pdu = events.get(eventId);
        if (pdu == null) {
            return notFound();
        }
        ObjectNode answer = JSON.createObjectNode().put("origin", remote.serverName()).put("origin_server_ts", 1);
        answer.putArray("pdus").add(pdu.json());
        return FakeRemoteServer.Answer.json(200, answer);
    }

    private synchronized FakeRemoteServer.Answer stateIds(String eventId) {
        stateIdsRequests.incrementAndGet();
        Map<StateKey, String> before = eventId == null ? null : stateBefore.get(eventId);
        if (before == null) {
            return notFound();
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode pduIds = answer.putArray("pdu_ids");
        before.values().forEach(pduIds::add);
        ArrayNode chain = answer.putArray("auth_chain_ids");
        authChain(new HashSet<>(before.values())).forEach(p -> chain.add(p.eventId().value()));
        return FakeRemoteServer.Answer.json(200, answer);
    }

    private static void awaitGate(CountDownLatch gate) {
        if (gate == null) {
            return;
        }
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate not opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized FakeRemoteServer.Answer missingEvents(FakeRemoteServer.Request r) {
        JsonNode body = StrictJson.parse(r.body());
        Set<String> earliest = new HashSet<>();
        body.path("earliest_events").forEach(e -> earliest.add(e.asText()));
        int limit = Math.min(body.path("limit").asInt(10), missingEventsLimit);
        List<Pdu> found = new ArrayList<>();
        Set<String> seen = new HashSet<>(earliest);
        Deque<String> queue = new ArrayDeque<>();
        body.path("latest_events").forEach(e -> {
            Pdu latest = events.get(e.asText());
            if (latest != null) {
                latest.prevEvents().forEach(p -> queue.add(p.value()));
            }
        });
        while (!queue.isEmpty() && found.size() < limit) {
            String id = queue.poll();
            if (!seen.add(id) || !events.containsKey(id)) {
                continue;
            }
            Pdu pdu = events.get(id);
            found.add(pdu);
            pdu.prevEvents().forEach(p -> queue.add(p.value()));
        }
        found.sort(Comparator.comparingLong(Pdu::depth));
        ArrayNode array = JSON.createArrayNode();
        found.forEach(p -> array.add(p.json()));
        return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().set("events", array));
    }

    private synchronized FakeRemoteServer.Answer received(FakeRemoteServer.Request r) {
        JsonNode body = StrictJson.parse(r.body());
        ObjectNode results = JSON.createObjectNode();
        for (JsonNode pdu : body.path("pdus")) {
            if (roomId.value().equals(pdu.path("room_id").asText())) {
                Pdu parsed = Pdu.fromJson((ObjectNode) pdu, VERSION);
                add(parsed);
                results.putObject(parsed.eventId().value());
            }
        }
        return FakeRemoteServer.Answer.json(200, JSON.createObjectNode().set("pdus", results));
    }

    private static FakeRemoteServer.Answer notFound() {
        return new FakeRemoteServer.Answer(404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"unknown\"}".getBytes());
    }

    private static String last(FakeRemoteServer.Request r) {
        String path = r.pathAndQuery();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    private static String query(FakeRemoteServer.Request r, String name) {
        String path = r.pathAndQuery();
        int q = path.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String part : path.substring(q + 1).split("&")) {
            if (part.startsWith(name + "=")) {
                return URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package de.tim.homeserver.federation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.MatrixTestClient;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventSigning;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.crypto.XMatrixAuthorization;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.keys.ServerKeys;

/**
 * A remote Matrix server played by a test: publishes its signing key at {@code /_matrix/key/v2/server}
 * (counting fetches), signs requests towards the homeserver under test, and answers other paths with
 * handlers the test registers.
 */
public final class FakeRemoteServer {

    /** A canned answer. */
    public record Answer(int status, byte[] body, String contentType) {
        public Answer(int status, byte[] body) {
            this(status, body, "application/json");
        }

        public static Answer json(int status, JsonNode body) {
            return new Answer(status, CanonicalJson.encode(body));
        }
    }

    /** A request the remote received. */
    public record Request(String method, String pathAndQuery, Headers headers, byte[] body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerName serverName;
    private volatile SigningKey key;
    private volatile long validUntilTs;
    private final AtomicInteger keyFetches = new AtomicInteger();
    private final Map<String, Function<Request, Answer>> handlers = new ConcurrentHashMap<>();

    public FakeRemoteServer(String serverName) {
        this.serverName = ServerName.parse(serverName);
        this.key = SigningKey.generate("remote1");
        this.validUntilTs = System.currentTimeMillis() + 3_600_000;
    }

    public String serverName() {
        return serverName.toString();
    }

    public SigningKey key() {
        return key;
    }

    public FakeRemoteServer validUntil(long ts) {
        this.validUntilTs = ts;
        return this;
    }

    public int keyFetches() {
        return keyFetches.get();
    }

    private final Map<String, Function<Request, Answer>> prefixHandlers = new ConcurrentHashMap<>();

    /** Handles requests whose path starts with {@code prefix} (checked after exact paths). */
    public FakeRemoteServer onPrefix(String prefix, Function<Request, Answer> handler) {
        prefixHandlers.put(prefix, handler);
        return this;
    }

    /** Handles requests whose path (without query) is {@code path}. */
    public FakeRemoteServer on(String path, Function<Request, Answer> handler) {
        handlers.put(path, handler);
        return this;
    }

    /** The X-Matrix header for a request from this server to {@code destination}. */
    public String authorization(String destination, String method, String uri, Object body) {
        return authorization(destination, method, uri, body, key);
    }

    public String authorization(String destination, String method, String uri, Object body, SigningKey signingKey) {
        JsonNode content = body == null ? null : JSON.valueToTree(body);
        return XMatrixAuthorization.sign(serverName, ServerName.parse(destination), method, uri, content, signingKey)
                .headerValue();
    }

    /** Sends a request signed by this server to the homeserver under test ({@code client} carries the Host). */
    public MatrixTestClient.Response request(MatrixTestClient client, String destination, String method, String uri,
            Object body) {
        return client.withHeader("Authorization", authorization(destination, method, uri, body))
                .send(method, uri, null, body);
    }

    /** A join made by {@link #join}: the signed join event, its id and the {@code send_join} answer. */
    public record Joined(ObjectNode event, String eventId, MatrixTestClient.Response answer) {
    }

    /**
     * Joins {@code userId} (a user of this server) to a room of the homeserver under test over federation
     * ({@code make_join} with room version 10, signed, {@code send_join}); returns the {@code send_join} answer.
     */
    public MatrixTestClient.Response joinRoom(MatrixTestClient client, String destination, String roomId, String userId) {
        return join(client, destination, roomId, userId).answer();
    }

    /** As {@link #joinRoom}, also with the join event this server signed (for tests that continue the room's graph). */
    public Joined join(MatrixTestClient client, String destination, String roomId, String userId) {
        MatrixTestClient.Response template = request(client, destination, "GET", "/_matrix/federation/v1/make_join/"
                + encode(roomId) + "/" + encode(userId) + "?ver=10", null);
        if (template.status() != 200) {
            throw new AssertionError("make_join: " + template.raw());
        }
        ObjectNode join = signEvent((ObjectNode) template.body().get("event"), RoomVersion.V10);
        String joinId = de.tim.matrix.event.Pdu.fromJson(join.deepCopy(), RoomVersion.V10).eventId().value();
        MatrixTestClient.Response joined = request(client, destination, "PUT", "/_matrix/federation/v2/send_join/"
                + encode(roomId) + "/" + encode(joinId), join);
        if (joined.status() != 200) {
            throw new AssertionError("send_join: " + joined.raw());
        }
        return new Joined(join, joinId, joined);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Signs an event template as this server (hashes and signature). */
    public ObjectNode signEvent(ObjectNode template, RoomVersion version) {
        return EventSigning.hashAndSign(template.deepCopy(), version, serverName, key);
    }

    Answer handle(String method, String pathAndQuery, Headers headers, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (path.equals("/_matrix/key/v2/server")) {
            keyFetches.incrementAndGet();
            return Answer.json(200, ServerKeys.publish(serverName, key, Map.of(), validUntilTs));
        }
        Function<Request, Answer> handler = handlers.get(path);
        if (handler == null) {
            handler = prefixHandlers.entrySet().stream().filter(e -> path.startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
        if (handler == null) {
            return new Answer(404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"unknown\"}".getBytes());
        }
        return handler.apply(new Request(method, pathAndQuery, headers, body));
    }
}

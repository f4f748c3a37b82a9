package de.tim.push.retention;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Records Synapse admin API calls ({@code DELETE /_synapse/admin/v2/rooms/{roomId}}) and answers them. */
final class RecordingAdminServer implements AutoCloseable {

    /** One recorded call. */
    record Call(String method, String roomId, String authorization, String body) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusByRoom = new ConcurrentHashMap<>();

    RecordingAdminServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    void answer(String roomId, int status) {
        statusByRoom.put(roomId, status);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String prefix = "/_synapse/admin/v2/rooms/";
            String path = exchange.getRequestURI().getRawPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!path.startsWith(prefix)) {
                send(exchange, 404, "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}");
                return;
            }
            String roomId = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
            calls.add(new Call(exchange.getRequestMethod(), roomId, exchange.getRequestHeaders().getFirst("Authorization"), body));
            int status = statusByRoom.getOrDefault(roomId, 200);
            send(exchange, status, status == 200 ? "{\"delete_id\":\"" + UUID.randomUUID() + "\"}"
                    : "{\"errcode\":\"M_UNKNOWN\",\"error\":\"failed\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

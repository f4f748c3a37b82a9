package de.tim.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP server standing in for the homeserver behind the gateway in gateway tests: it answers the
 * OpenID userinfo endpoint for tokens registered with {@link #issueOpenIdToken} (only with the right
 * proxy secret) and echoes every other request (path, Host, proxy secret) as JSON.
 */
public final class RecordingHomeserver implements AutoCloseable {

    public static final String PROXY_SECRET = "s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> openIdTokens = new ConcurrentHashMap<>();
    private final AtomicInteger userinfoCalls = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    public RecordingHomeserver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/_matrix/federation/v1/openid/userinfo", this::userinfo);
        server.createContext("/", this::echo);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void issueOpenIdToken(String token, String userId) {
        openIdTokens.put(token, userId);
    }

    /** Requests other than userinfo that reached this server. */
    public int requests() {
        return requests.get();
    }

    public int userinfoCalls() {
        return userinfoCalls.get();
    }

    private void userinfo(HttpExchange exchange) throws IOException {
        userinfoCalls.incrementAndGet();
        String query = exchange.getRequestURI().getRawQuery();
        String token = query != null && query.startsWith("access_token=")
                ? java.net.URLDecoder.decode(query.substring("access_token=".length()), StandardCharsets.UTF_8) : null;
        String user = token == null ? null : openIdTokens.get(token);
        if (!PROXY_SECRET.equals(exchange.getRequestHeaders().getFirst("X-Tim-Proxy-Auth"))) {
            respond(exchange, 403, JSON.createObjectNode().put("errcode", "M_FORBIDDEN").put("error", "not from the gateway"));
        } else if (user == null) {
            respond(exchange, 401, JSON.createObjectNode().put("errcode", "M_UNKNOWN_TOKEN").put("error", "unknown"));
        } else {
            respond(exchange, 200, JSON.createObjectNode().put("sub", user));
        }
    }

    private void echo(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        ObjectNode node = JSON.createObjectNode()
                .put("body", body)
                .put("method", exchange.getRequestMethod())
                .put("path", exchange.getRequestURI().getPath())
                .put("host", exchange.getRequestHeaders().getFirst("Host"))
                .put("proxyAuth", String.join(",", exchange.getRequestHeaders().getOrDefault("X-Tim-Proxy-Auth", List.of())));
        if (exchange.getRequestURI().getPath().equals("/_matrix/client/versions")) {
            var versions = node.putArray("versions");
            List.of("r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.11").forEach(versions::add);
        }
        respond(exchange, 200, node);
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

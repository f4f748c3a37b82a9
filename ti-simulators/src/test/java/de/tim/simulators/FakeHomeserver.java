package de.tim.simulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A homeserver's federation userinfo endpoint for tests ({@code GET /_matrix/federation/v1/openid/userinfo}), one per
 * test JVM, serving the server name {@link #SERVER_NAME}. Tokens are registered per test, so tests stay independent.
 */
public final class FakeHomeserver {

    public static final String SERVER_NAME = "praxis-a.tim.local";
    /** A second server name answered by the same fake, used as a health insurance's (ePA) domain. */
    public static final String INSURANCE_SERVER_NAME = "kasse.tim.test";
    private static final FakeHomeserver SHARED = new FakeHomeserver();

    private final HttpServer server;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private FakeHomeserver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/_matrix/federation/v1/openid/userinfo", this::userinfo);
        server.start();
    }

    public static FakeHomeserver shared() {
        return SHARED;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Issues an OpenID token for the user. */
    public String openIdToken(String userId) {
        String token = UUID.randomUUID().toString();
        tokens.put(token, userId);
        return token;
    }

    private void userinfo(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String token = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("access_token=")) {
                    token = URLDecoder.decode(pair.substring("access_token=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        String user = token == null ? null : tokens.get(token);
        byte[] body = (user == null
                ? "{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Access Token unknown or expired\"}"
                : "{\"sub\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(user == null ? 401 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}

package de.tim.routes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The homeserver's {@code POST /_tim/admin/v1/domains} as a real in-process HTTP server (the homeserver module is not
 * a dependency of this one): bearer secret, 201 for a new server name, 409 {@code M_DOMAIN_EXISTS} for a known one,
 * and an injectable 500.
 */
public final class FakeHomeserverAdmin {

    public static final String SECRET = "homeserver-provisioning-secret-for-tests";
    private static FakeHomeserverAdmin shared;

    private final HttpServer server;
    public final Set<String> domains = ConcurrentHashMap.newKeySet();
    public final AtomicInteger failNext = new AtomicInteger();

    private FakeHomeserverAdmin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/_tim/admin/v1/domains", this::handle);
        server.createContext("/_matrix/client/v3/user/", this::openIdRequestToken);
        server.createContext("/_matrix/federation/v1/openid/userinfo", this::openIdUserInfo);
        server.start();
    }

    public static synchronized FakeHomeserverAdmin shared() {
        if (shared == null) {
            try {
                shared = new FakeHomeserverAdmin();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** The service account whose Matrix access token the registration service uses for directory searches. */
    public static final String SEARCH_USER = "@registrierungsdienst:praxis-a.tim.local";
    public static final String SEARCH_USER_TOKEN = "service-account-access-token-for-tests";
    private final java.util.Map<String, String> openIdTokens = new ConcurrentHashMap<>();

    public String baseUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** POST /_matrix/client/v3/user/{userId}/openid/request_token (Matrix client-server API). */
    private void openIdRequestToken(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String expected = "/_matrix/client/v3/user/" + SEARCH_USER + "/openid/request_token";
            if (!"POST".equals(exchange.getRequestMethod()) || !expected.equals(path)) {
                respond(exchange, 404, "{\"errcode\":\"M_UNRECOGNIZED\"}");
                return;
            }
            // like the real multi-domain homeserver: the request's domain is the one named by Host
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host == null || !host.replaceFirst(":\\d+$", "").equals("praxis-a.tim.local")) {
                respond(exchange, 404, "{\"errcode\":\"M_NOT_FOUND\",\"error\":\"No Matrix domain is served under this host\"}");
                return;
            }
            if (!("Bearer " + SEARCH_USER_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
                return;
            }
            String token = java.util.UUID.randomUUID().toString();
            openIdTokens.put(token, SEARCH_USER);
            respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\","
                    + "\"matrix_server_name\":\"praxis-a.tim.local\",\"expires_in\":3600}");
        }
    }

    /** GET /_matrix/federation/v1/openid/userinfo?access_token= (Matrix server-server API). */
    private void openIdUserInfo(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getQuery();
            String token = query != null && query.startsWith("access_token=") ? query.substring("access_token=".length()) : "";
            String user = openIdTokens.get(token);
            if (user == null) {
                respond(exchange, 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
            } else {
                respond(exchange, 200, "{\"sub\":\"" + user + "\"}");
            }
        }
    }

    public String domainsUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/_tim/admin/v1/domains";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"errcode\":\"M_UNRECOGNIZED\"}");
                return;
            }
            if (!("Bearer " + SECRET).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, "{\"errcode\":\"M_UNKNOWN_TOKEN\"}");
                return;
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                respond(exchange, 500, "{\"errcode\":\"M_UNKNOWN\"}");
                return;
            }
            String serverName = new ObjectMapper().readTree(exchange.getRequestBody().readAllBytes()).path("server_name").asText();
            if (serverName.isEmpty()) {
                respond(exchange, 400, "{\"errcode\":\"M_BAD_JSON\"}");
            } else if (!domains.add(serverName)) {
                respond(exchange, 409, "{\"errcode\":\"M_DOMAIN_EXISTS\"}");
            } else {
                respond(exchange, 201, "{\"server_name\":\"" + serverName + "\"}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

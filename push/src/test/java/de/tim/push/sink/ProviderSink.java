package de.tim.push.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An in-test push provider speaking the FCM HTTP v1 (with its OAuth token endpoint) and APNs provider API wire
 * formats, with the status codes and error bodies Google and Apple document. It verifies the caller's credentials
 * (RS256 service-account assertion, ES256 APNs provider token) and records what it accepted. Behaviour per
 * device token: {@link #unregister}, {@link #markInvalid}, {@link #failNext}. It speaks HTTP/1.1 (the JDK server);
 * the production client asks for HTTP/2 and falls back, so HTTP/2 framing itself is not covered here.
 */
public final class ProviderSink implements AutoCloseable {

    public static final String PROJECT = "tim-test-project";
    public static final String TEAM_ID = "TEAM123456";
    public static final String KEY_ID = "KEY1234567";
    public static final String TOPIC = "de.tim.app.ios";
    public static final String CLIENT_EMAIL = "push@tim-test-project.iam.gserviceaccount.com";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A push the sink accepted. */
    public record Received(String provider, String token, JsonNode body, Map<String, String> headers) {
    }

    private final KeyPair serviceAccountKey;
    private final KeyPair apnsKey;
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> unregistered = ConcurrentHashMap.newKeySet();
    private final Set<String> invalid = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<String, Integer> failureStatus = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private int port;
    private HttpServer server;

    public ProviderSink() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            serviceAccountKey = rsa.generateKeyPair();
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            apnsKey = ec.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public synchronized ProviderSink start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
        return this;
    }

    /** Stops accepting connections; requests in progress complete first. The port is kept for {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(5);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public URI tokenUri() {
        return URI.create(baseUrl() + "/token");
    }

    /** A Google service-account key file for this sink. */
    public String serviceAccountJson() {
        var node = JSON.createObjectNode()
                .put("type", "service_account")
                .put("project_id", PROJECT)
                .put("private_key_id", "sa-key-1")
                .put("private_key", pem("PRIVATE KEY", serviceAccountKey.getPrivate().getEncoded()))
                .put("client_email", CLIENT_EMAIL)
                .put("token_uri", tokenUri().toString());
        return node.toString();
    }

    /** The APNs auth key ({@code .p8}) for this sink. */
    public String apnsPrivateKeyPem() {
        return pem("PRIVATE KEY", apnsKey.getPrivate().getEncoded());
    }

    public void unregister(String token) {
        unregistered.add(token);
    }

    public void markInvalid(String token) {
        invalid.add(token);
    }

    /** The next {@code times} pushes to this token fail with {@code status} (429, 500 or 503). */
    public void failNext(String token, int times, int status) {
        failuresLeft.put(token, new AtomicInteger(times));
        failureStatus.put(token, status);
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> receivedFor(String token) {
        return received.stream().filter(r -> r.token().equals(token)).toList();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{}");
            } else if (path.equals("/token")) {
                token(exchange, new String(body, StandardCharsets.UTF_8));
            } else if (path.equals("/v1/projects/" + PROJECT + "/messages:send")) {
                fcm(exchange, body);
            } else if (path.equals("/hook")) {
                webhook(exchange, body);
            } else if (path.startsWith("/3/device/")) {
                apns(exchange, URLDecoder.decode(path.substring("/3/device/".length()), StandardCharsets.UTF_8), body);
            } else {
                respond(exchange, 404, "{}");
            }
        } catch (Exception e) {
            respond(exchange, 500, "{}");
        }
    }

    private void token(HttpExchange exchange, String form) throws Exception {
        tokenRequests.incrementAndGet();
        Map<String, String> params = new ConcurrentHashMap<>();
        for (String pair : form.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        SignedJWT jwt = SignedJWT.parse(params.getOrDefault("assertion", ""));
        boolean ok = "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(params.get("grant_type"))
                && jwt.verify(new RSASSAVerifier((RSAPublicKey) serviceAccountKey.getPublic()))
                && CLIENT_EMAIL.equals(jwt.getJWTClaimsSet().getIssuer())
                && jwt.getJWTClaimsSet().getAudience().contains(tokenUri().toString())
                && "https://www.googleapis.com/auth/firebase.messaging".equals(jwt.getJWTClaimsSet().getStringClaim("scope"));
        if (!ok) {
            respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
            return;
        }
        String token = "ya29." + UUID.randomUUID();
        accessTokens.add(token);
        respond(exchange, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    private void fcm(HttpExchange exchange, byte[] body) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !accessTokens.contains(auth.substring(7))) {
            respond(exchange, 401, fcmError(401, "UNAUTHENTICATED", null,
                    "Request had invalid authentication credentials."));
            return;
        }
        JsonNode json = JSON.readTree(body);
        String token = json.path("message").path("token").asText("");
        if (unregistered.contains(token)) {
            respond(exchange, 404, fcmError(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."));
        } else if (invalid.contains(token)) {
            respond(exchange, 400, fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token"));
        } else if (consumeFailure(token)) {
            int status = failureStatus.get(token);
            String code = status == 429 ? "QUOTA_EXCEEDED" : status == 503 ? "UNAVAILABLE" : "INTERNAL";
            String rpc = status == 429 ? "RESOURCE_EXHAUSTED" : status == 503 ? "UNAVAILABLE" : "INTERNAL";
            respond(exchange, status, fcmError(status, rpc, code, "The service is currently unavailable."));
        } else {
            received.add(new Received("fcm", token, json, Map.of()));
            respond(exchange, 200, "{\"name\":\"projects/" + PROJECT + "/messages/" + UUID.randomUUID() + "\"}");
        }
    }

    private void apns(HttpExchange exchange, String token, byte[] body) throws Exception {
        String auth = exchange.getRequestHeaders().getFirst("authorization");
        if (auth == null || !auth.startsWith("bearer ")) {
            respondApns(exchange, 403, "MissingProviderToken");
            return;
        }
        SignedJWT jwt = SignedJWT.parse(auth.substring(7));
        if (!jwt.verify(new ECDSAVerifier((ECPublicKey) apnsKey.getPublic())) || !KEY_ID.equals(jwt.getHeader().getKeyID())
                || !TEAM_ID.equals(jwt.getJWTClaimsSet().getIssuer())) {
            respondApns(exchange, 403, "InvalidProviderToken");
            return;
        }
        if (!TOPIC.equals(exchange.getRequestHeaders().getFirst("apns-topic"))) {
            respondApns(exchange, 400, "TopicDisallowed");
            return;
        }
        if (unregistered.contains(token)) {
            exchange.getResponseHeaders().add("apns-id", UUID.randomUUID().toString());
            respond(exchange, 410, "{\"reason\":\"Unregistered\",\"timestamp\":" + System.currentTimeMillis() + "}");
        } else if (invalid.contains(token)) {
            respondApns(exchange, 400, "BadDeviceToken");
        } else if (consumeFailure(token)) {
            int status = failureStatus.get(token);
            respondApns(exchange, status, status == 429 ? "TooManyRequests" : status == 503 ? "ServiceUnavailable"
                    : "InternalServerError");
        } else {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
            headers.remove("authorization");
            received.add(new Received("apns", token, JSON.readTree(body), headers));
            String apnsId = exchange.getRequestHeaders().getFirst("apns-id");
            exchange.getResponseHeaders().add("apns-id", apnsId != null ? apnsId : UUID.randomUUID().toString());
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void webhook(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode json = JSON.readTree(body);
        String token = json.path("pushkey").asText("");
        if (!"Bearer hook-secret".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "{}");
        } else if (unregistered.contains(token)) {
            respond(exchange, 410, "{}");
        } else if (consumeFailure(token)) {
            respond(exchange, failureStatus.get(token), "{}");
        } else {
            received.add(new Received("webhook", token, json, Map.of()));
            respond(exchange, 202, "{}");
        }
    }

    private boolean consumeFailure(String token) {
        AtomicInteger left = failuresLeft.get(token);
        return left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    private static String fcmError(int code, String status, String errorCode, String message) {
        var error = JSON.createObjectNode();
        var e = error.putObject("error").put("code", code).put("message", message).put("status", status);
        if (errorCode != null) {
            e.putArray("details").addObject()
                    .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                    .put("errorCode", errorCode);
        }
        return error.toString();
    }

    private static void respondApns(HttpExchange exchange, int status, String reason) throws IOException {
        exchange.getResponseHeaders().add("apns-id", UUID.randomUUID().toString());
        respond(exchange, status, "{\"reason\":\"" + reason + "\"}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

package de.tim.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.crypto.tls.SslContexts;

/** A Matrix client of the stack's tests: talks to the gateways' client listeners over TLS with the development CA. */
final class StackClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;

    /** A logged-in user and the client port of their domain's gateway. */
    record User(String userId, String token, int port) {
    }

    /** An answer: status and JSON body (an empty object for an empty body). */
    record Answer(int status, JsonNode body) {
        String errcode() {
            return body.path("errcode").asText(null);
        }
    }

    /** A binary answer: status, {@code Content-Type} and the bytes. */
    record Bytes(int status, String contentType, byte[] body) {
        /** The body as a Matrix error object (empty when it is none). */
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                return JSON.createObjectNode();
            }
        }
    }

    StackClient(X509Certificate ca) {
        http = HttpClient.newBuilder().sslContext(SslContexts.trusting(List.of(ca))).connectTimeout(Duration.ofSeconds(5)).build();
    }

    User login(String userId, String password, int port) {
        JsonNode answer = request("POST", "https://localhost:" + port + "/_matrix/client/v3/login", null,
                Map.of("type", "m.login.password", "identifier", Map.of("type", "m.id.user", "user", userId),
                        "password", password)).body();
        assertThat(answer.has("access_token")).as("login %s", answer).isTrue();
        return new User(userId, answer.get("access_token").asText(), port);
    }

    /** A client-server call ({@code path} below {@code /_matrix/client/v3}); the JSON answer, errors included. */
    JsonNode call(User user, String method, String path, Object body) {
        return exchange(user, method, path, body).body();
    }

    Answer exchange(User user, String method, String path, Object body) {
        return request(method, "https://localhost:" + user.port() + "/_matrix/client/v3" + path, user.token(), body);
    }

    String createRoom(User user, Map<String, Object> body) {
        JsonNode created = call(user, "POST", "/createRoom", body);
        assertThat(created.path("room_id").asText()).as("createRoom: %s", created).startsWith("!");
        return created.get("room_id").asText();
    }

    String sendText(User user, String roomId, String text) {
        JsonNode answer = call(user, "PUT", "/rooms/" + enc(roomId) + "/send/m.room.message/" + UUID.randomUUID(),
                Map.of("msgtype", "m.text", "body", text));
        assertThat(answer.has("event_id")).as("send: %s", answer).isTrue();
        return answer.get("event_id").asText();
    }

    /** The room's messages visible to the user, oldest first. */
    List<JsonNode> messages(User user, String roomId) {
        List<JsonNode> events = new ArrayList<>();
        call(user, "GET", "/rooms/" + enc(roomId) + "/messages?dir=b&limit=100", null).path("chunk").forEach(e -> events.add(0, e));
        return events;
    }

    /** The user's membership in the room as their own server sees it (null if none). */
    String membership(User reader, String roomId, String userId) {
        Answer answer = exchange(reader, "GET", "/rooms/" + enc(roomId) + "/state/m.room.member/" + enc(userId), null);
        return answer.status() == 200 ? answer.body().path("membership").asText(null) : null;
    }

    /** Uploads through {@code POST /_matrix/media/v3/upload}; the {@code mxc://} URI. */
    String upload(User user, String contentType, String fileName, byte[] content) {
        Bytes answer = bytes(user, "POST", "/_matrix/media/v3/upload?filename=" + enc(fileName), contentType, content);
        JsonNode json = answer.json();
        assertThat(json.path("content_uri").asText()).as("upload: %s", json).startsWith("mxc://");
        return json.get("content_uri").asText();
    }

    /** A GET of the user's gateway below {@code /_matrix} (e.g. {@code /client/v1/media/download/...}), as bytes. */
    Bytes get(User user, String matrixPath) {
        return bytes(user, "GET", "/_matrix" + matrixPath, null, null);
    }

    private Bytes bytes(User user, String method, String path, String contentType, byte[] content) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + user.port() + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + user.token())
                    .method(method, content == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(content));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Bytes(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode sync(User user) {
        return call(user, "GET", "/sync?timeout=0", null);
    }

    private Answer request(String method, String uri, String token, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

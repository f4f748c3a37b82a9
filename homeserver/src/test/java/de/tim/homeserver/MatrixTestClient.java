package de.tim.homeserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A small HTTP client for driving the homeserver as a Matrix client would, with a chosen Host header. */
public final class MatrixTestClient {

    static {
        // must be set before the JDK HTTP client initialises; also set by surefire
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int port;
    private final String host;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public MatrixTestClient(int port, String host, String proxySecret) {
        this.port = port;
        this.host = host;
        if (proxySecret != null) {
            headers.put("X-Tim-Proxy-Auth", proxySecret);
        }
    }

    public MatrixTestClient withoutHeader(String name) {
        MatrixTestClient copy = new MatrixTestClient(port, host, null);
        copy.headers.putAll(headers);
        copy.headers.remove(name);
        return copy;
    }

    public MatrixTestClient withHeader(String name, String value) {
        MatrixTestClient copy = new MatrixTestClient(port, host, null);
        copy.headers.putAll(headers);
        copy.headers.put(name, value);
        return copy;
    }

    /** A response: status, parsed JSON body (MissingNode if none or not JSON), headers. */
    public record Response(int status, JsonNode body, String raw, HttpHeaders headers) {
        public String errcode() {
            return body.path("errcode").asText(null);
        }

        public String text(String field) {
            return body.path(field).asText(null);
        }
    }

    public Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Response post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Response put(String path, String token, Object body) {
        return send("PUT", path, token, body);
    }

    public Response delete(String path, String token, Object body) {
        return send("DELETE", path, token, body);
    }

    /** Sends; {@code body} is sent as is when it is a String, otherwise as JSON. */
    public Response send(String method, String path, String token, Object body) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Host", host);
            headers.forEach(builder::header);
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            if (body == null) {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                builder.header("Content-Type", "application/json");
                builder.method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(response.body());
            } catch (IOException e) {
                json = MissingNode.getInstance();
            }
            return new Response(response.statusCode(), json, response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package de.tim.homeserver.federation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for the gateway's egress listener in homeserver tests: receives the homeserver's
 * absolute-form federation requests, records them, and hands them to a {@link FakeRemoteServer}
 * registered for the destination, or forwards them to the homeserver itself (with Host = destination
 * and the proxy secret) for destinations the homeserver hosts. Unknown destinations get 502.
 */
public final class FakeEgress implements AutoCloseable {

    /** One request as the egress saw it. */
    public record Recorded(String method, URI uri, Headers headers) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final HttpServer server;
    private final Map<String, FakeRemoteServer> remotes = new ConcurrentHashMap<>();
    private final Map<String, Boolean> forwarded = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile int homeserverPort;
    private final String proxySecret;

    public FakeEgress(String proxySecret) {
        this.proxySecret = proxySecret;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Destinations the homeserver under test hosts are forwarded to it. */
    public FakeEgress forwardTo(int port, String... serverNames) {
        this.homeserverPort = port;
        for (String name : serverNames) {
            forwarded.put(name, true);
        }
        return this;
    }

    /** No destination reaches the homeserver any more (federation between its domains is cut). */
    public FakeEgress forwardNothing() {
        forwarded.clear();
        return this;
    }

    public FakeEgress register(FakeRemoteServer remote) {
        remotes.put(remote.serverName(), remote);
        return this;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(new Recorded(exchange.getRequestMethod(), uri, exchange.getRequestHeaders()));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String destination = uri.getHost() == null ? null : uri.getRawAuthority();
            if (destination == null || !proxySecret.equals(exchange.getRequestHeaders().getFirst("X-Tim-Proxy-Auth"))) {
                respond(exchange, 403, "{\"errcode\":\"M_FORBIDDEN\",\"error\":\"egress refused\"}".getBytes());
                return;
            }
            FakeRemoteServer remote = remotes.get(destination);
            if (remote != null) {
                FakeRemoteServer.Answer answer = remote.handle(exchange.getRequestMethod(), uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), exchange.getRequestHeaders(), body);
                respond(exchange, answer.status(), answer.body(), answer.contentType());
                return;
            }
            if (forwarded.containsKey(destination)) {
                forward(exchange, destination, uri, body);
                return;
            }
            respond(exchange, 502, "{\"errcode\":\"M_UNKNOWN\",\"error\":\"unreachable\"}".getBytes());
        }
    }

    private void forward(HttpExchange exchange, String destination, URI uri, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + homeserverPort
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                .header("Host", destination).header("X-Tim-Proxy-Auth", proxySecret)
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : List.of("Authorization", "Content-Type")) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values != null) {
                values.forEach(v -> request.header(name, v));
            }
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            respond(exchange, response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse("application/json"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 502, new byte[0]);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        respond(exchange, status, body, "application/json");
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

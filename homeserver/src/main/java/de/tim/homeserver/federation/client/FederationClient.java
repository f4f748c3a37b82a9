package de.tim.homeserver.federation.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.FederationProperties;
import de.tim.homeserver.http.ProxyAuthFilter;
import de.tim.homeserver.http.ProxyAuthProperties;
import de.tim.matrix.crypto.XMatrixAuthorization;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Outbound server-server requests of a hosted domain. Every request goes in absolute form
 * ({@code http://<destination>/_matrix/...}) to the domain's egress listener of the Messenger-Proxy
 * with {@code X-Tim-Proxy-Auth}; the proxy checks the federation list, resolves the destination and
 * speaks TLS. Requests are signed with X-Matrix (origin, destination, method, uri, content) unless
 * they are key requests. Blocking calls: run them on virtual threads (request threads are).
 */
@Service
public class FederationClient {

    private static final Logger log = LoggerFactory.getLogger(FederationClient.class);
    /** Largest answer accepted from a remote server (a send_join answer carries the room's whole state). */
    private static final int MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

    private final FederationProperties properties;
    private final String proxySecret;
    private final Map<URI, HttpClient> clients = new ConcurrentHashMap<>();

    public FederationClient(FederationProperties properties, ProxyAuthProperties proxyAuth) {
        this.properties = properties;
        this.proxySecret = properties.egressProxySecret() != null ? properties.egressProxySecret()
                : proxyAuth.enabled() ? proxyAuth.proxySecret() : null;
    }

    /** A signed GET; the answer's JSON body. */
    public JsonNode get(Domain origin, String destination, String pathAndQuery) {
        return send(origin, destination, "GET", pathAndQuery, null, true);
    }

    /** A signed request with a JSON body ({@code null} for none); the answer's JSON body. */
    public JsonNode send(Domain origin, String destination, String method, String pathAndQuery, JsonNode body) {
        return send(origin, destination, method, pathAndQuery, body, true);
    }

    /** A signed request with a JSON body ({@code null} for none) and its own timeout; the answer's JSON body. */
    public JsonNode send(Domain origin, String destination, String method, String pathAndQuery, JsonNode body,
            Duration timeout) {
        return send(origin, destination, method, pathAndQuery, body, true, timeout);
    }

    /** An unsigned GET (key requests: {@code /_matrix/key/v2/server} needs no authentication). */
    public JsonNode getUnsigned(Domain origin, String destination, String pathAndQuery) {
        return send(origin, destination, "GET", pathAndQuery, null, false);
    }

    private JsonNode send(Domain origin, String destination, String method, String pathAndQuery, JsonNode body,
            boolean signed) {
        return send(origin, destination, method, pathAndQuery, body, signed, properties.requestTimeout());
    }

    private JsonNode send(Domain origin, String destination, String method, String pathAndQuery, JsonNode body,
            boolean signed, Duration timeout) {
        Prepared prepared = prepare(origin, destination, method, pathAndQuery, body, signed, "application/json", timeout);
        URI egress = prepared.egress();
        HttpRequest.Builder request = prepared.request();
        HttpResponse<InputStream> response;
        byte[] bytes;
        try {
            response = client(egress).send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
        } catch (IOException e) {
            log.debug("Federation request to {} failed: {}", destination, e.toString());
            throw new FederationException(destination, 0, null, "request failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FederationException(destination, 0, null, "interrupted");
        }
        if (bytes.length > MAX_RESPONSE_BYTES) {
            throw new FederationException(destination, 0, null, "answer too large");
        }
        JsonNode json = parse(bytes);
        int status = response.statusCode();
        if (status / 100 != 2) {
            String errcode = json != null && json.path("errcode").isTextual() ? json.get("errcode").textValue() : null;
            String error = json != null && json.path("error").isTextual() ? json.get("error").textValue() : "HTTP " + status;
            throw new FederationException(destination, status, errcode, truncate(error));
        }
        if (json == null) {
            throw new FederationException(destination, 0, null, "answer is not JSON");
        }
        return json;
    }

    /** A request to send (as {@link #send} builds it, with another {@code Accept}) and the egress it goes to. */
    private record Prepared(URI egress, HttpRequest.Builder request) {
    }

    private Prepared prepare(Domain origin, String destination, String method, String pathAndQuery, JsonNode body,
            boolean signed, String accept, Duration timeout) {
        ServerName target = parseDestination(destination);
        if (!pathAndQuery.startsWith("/_matrix/")) {
            throw new IllegalArgumentException("federation paths start with /_matrix/");
        }
        URI egress = properties.egressFor(origin.serverName()).orElseThrow(() -> new FederationException(destination, 0,
                null, "no egress proxy configured for outbound federation"));
        URI uri;
        try {
            uri = new URI("http://" + target + pathAndQuery);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid federation request target", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", accept);
        if (proxySecret != null) {
            request.header(ProxyAuthFilter.HEADER, proxySecret);
        }
        if (signed) {
            request.header("Authorization", XMatrixAuthorization.sign(ServerName.parse(origin.serverName()), target,
                    method, pathAndQuery, body, origin.signingKey()).headerValue());
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(CanonicalJson.encode(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return new Prepared(egress, request);
    }

    /** An answer whose body is read as it arrives (media); the caller closes it. */
    public record Streamed(int status, java.net.http.HttpHeaders headers, InputStream body) implements java.io.Closeable {
        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // the connection is dropped either way
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /**
     * A GET through the egress whose answer (any status) is streamed, not read: for media. Signed with X-Matrix
     * unless {@code signed} is false (a {@code Location} the remote handed out). The request timeout bounds the
     * wait for the answer's head, not the body. Throws {@link FederationException} only if no answer arrived.
     */
    public Streamed getStreamed(Domain origin, String destination, String pathAndQuery, boolean signed) {
        Prepared prepared = prepare(origin, destination, "GET", pathAndQuery, null, signed, "*/*",
                properties.requestTimeout());
        try {
            HttpResponse<InputStream> response = client(prepared.egress()).send(prepared.request().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            return new Streamed(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            log.debug("Federation request to {} failed: {}", destination, e.toString());
            throw new FederationException(destination, 0, null, "request failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FederationException(destination, 0, null, "interrupted");
        }
    }

    private static ServerName parseDestination(String destination) {
        try {
            return ServerName.parse(destination);
        } catch (IllegalArgumentException e) {
            throw new FederationException(destination, 0, null, "invalid server name");
        }
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return StrictJson.parse(bytes, StrictJson.Mode.ANY_NUMBERS);
        } catch (InvalidJsonException e) {
            return null;
        }
    }

    private static String truncate(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }

    private HttpClient client(URI egress) {
        return clients.computeIfAbsent(egress, e -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.of(new InetSocketAddress(e.getHost(), e.getPort() < 0 ? 80 : e.getPort())))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build());
    }
}

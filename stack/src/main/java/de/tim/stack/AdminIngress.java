package de.tim.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * The local stack's stand-in for the operator's internal path to the homeserver admin API of one domain: a
 * loopback listener that forwards {@code /_synapse/admin/} requests to the homeserver with the domain's
 * {@code Host} and the proxy secret, as the Messenger-Proxy does for client traffic (the gateways do not
 * route the admin API). The retention worker deletes rooms through it. Everything else answers 404.
 */
final class AdminIngress implements AutoCloseable {

    private static final String ADMIN_PREFIX = "/_synapse/admin/";

    private final HttpServer server;
    private final CloseableHttpClient http = HttpClients.createDefault();
    private final String homeserverBase;
    private final String serverName;
    private final String proxySecret;

    private AdminIngress(String bindAddress, String homeserverBase, String serverName, String proxySecret) throws IOException {
        this.homeserverBase = homeserverBase;
        this.serverName = serverName;
        this.proxySecret = proxySecret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
    }

    static AdminIngress start(String bindAddress, String homeserverBase, String serverName, String proxySecret) {
        try {
            AdminIngress ingress = new AdminIngress(bindAddress, homeserverBase, serverName, proxySecret);
            ingress.server.start();
            return ingress;
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the admin ingress of " + serverName, e);
        }
    }

    /** Base URL to configure as the domain's admin API, e.g. {@code http://127.0.0.1:41234}. */
    URI baseUrl() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            if (!uri.getRawPath().startsWith(ADMIN_PREFIX)) {
                send(exchange, 404, "application/json", "{\"errcode\":\"M_UNRECOGNIZED\",\"error\":\"Unrecognized request\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = homeserverBase + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            ClassicRequestBuilder builder = ClassicRequestBuilder.create(exchange.getRequestMethod()).setUri(target)
                    .setHeader("Host", serverName).setHeader("X-Tim-Proxy-Auth", proxySecret);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                builder.setHeader("Authorization", authorization);
            }
            if (body.length > 0) {
                builder.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
            }
            ClassicHttpRequest request = builder.build();
            http.execute(request, response -> {
                byte[] answer = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                Header type = response.getFirstHeader("Content-Type");
                send(exchange, response.getCode(), type == null ? null : type.getValue(), answer);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            // the exchange is closed; the caller sees a broken response and retries on its next run
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
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
        try {
            http.close();
        } catch (IOException e) {
            // closing
        }
    }
}

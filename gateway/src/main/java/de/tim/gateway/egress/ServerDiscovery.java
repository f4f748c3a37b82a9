package de.tim.gateway.egress;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.matrix.id.ServerName;

/**
 * Where to reach a remote server's federation API (server-server spec, "Resolving server names"):
 * a configured address first; an IP literal or an explicit port as given; otherwise
 * {@code /.well-known/matrix/server} ({@code m.server}), then the {@code _matrix-fed._tcp} SRV record,
 * then port 8448. Results are cached.
 */
class ServerDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, URI> fixed;
    private final HttpClient http;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ServerDiscovery(Map<String, URI> fixed, HttpClient http, Duration ttl, Clock clock) {
        this.fixed = fixed;
        this.http = http;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The base URI (scheme, host, port) for requests to {@code server}. */
    URI resolve(ServerName server) {
        URI configured = fixed.get(server.toString());
        if (configured != null) {
            return configured;
        }
        Instant now = clock.instant();
        Cached cached = cache.get(server.toString());
        if (cached != null && cached.until().isAfter(now)) {
            return cached.uri();
        }
        URI uri = discover(server);
        cache.put(server.toString(), new Cached(uri, now.plus(ttl)));
        return uri;
    }

    private URI discover(ServerName server) {
        if (server.kind() != ServerName.Kind.DNS || server.port().isPresent()) {
            return URI.create("https://" + server.host() + ":" + server.port().orElse(8448));
        }
        Optional<String> delegated = wellKnown(server.host());
        if (delegated.isPresent()) {
            ServerName target = ServerName.parse(delegated.get());
            if (target.kind() != ServerName.Kind.DNS || target.port().isPresent()) {
                return URI.create("https://" + target.host() + ":" + target.port().orElse(8448));
            }
            return srv(target.host()).orElse(URI.create("https://" + target.host() + ":8448"));
        }
        return srv(server.host()).orElse(URI.create("https://" + server.host() + ":8448"));
    }

    private Optional<String> wellKnown(String host) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("https://" + host + "/.well-known/matrix/server"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode server = JSON.readTree(response.body()).get("m.server");
            return server != null && server.isTextual() && ServerName.isValid(server.asText())
                    ? Optional.of(server.asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Optional<URI> srv(String host) {
        for (String service : new String[] {"_matrix-fed._tcp.", "_matrix._tcp."}) {
            try {
                Hashtable<String, String> env = new Hashtable<>();
                env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
                Attribute records = new InitialDirContext(env).getAttributes(service + host, new String[] {"SRV"}).get("SRV");
                if (records != null && records.size() > 0) {
                    String[] parts = records.get(0).toString().split(" ");
                    String target = parts[3].endsWith(".") ? parts[3].substring(0, parts[3].length() - 1) : parts[3];
                    return Optional.of(URI.create("https://" + target + ":" + parts[2]));
                }
            } catch (NamingException | RuntimeException e) {
                // no record of this kind: try the next
            }
        }
        return Optional.empty();
    }

    private record Cached(URI uri, Instant until) {
    }
}

package de.tim.gateway.route;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Matrix domains served behind this gateway and which of them a request addresses. The homeserver
 * picks the tenant by the {@code Host} it receives, so the gateway never passes the client's Host on:
 * it sends the served server name, and a gateway for several domains accepts only their names. A client
 * of one Messenger-Service can therefore not reach another tenant of a shared homeserver through the
 * wrong gateway.
 */
public final class ServedDomains {

    private final List<String> serverNames;

    public ServedDomains(List<String> serverNames) {
        this.serverNames = List.copyOf(serverNames);
    }

    /**
     * The served server name a request with this {@code Host} header addresses: the only one of a
     * single-domain gateway; for several, the one the host names (case and trailing dot ignored, port ignored).
     */
    public Optional<String> resolve(String hostHeader) {
        if (serverNames.size() == 1) {
            return Optional.of(serverNames.getFirst());
        }
        if (hostHeader == null || hostHeader.isBlank()) {
            return Optional.empty();
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (!host.startsWith("[")) {
            int colon = host.lastIndexOf(':');
            if (colon > 0) {
                host = host.substring(0, colon);
            }
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (String name : serverNames) {
            if (name.toLowerCase(Locale.ROOT).equals(host)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    public List<String> serverNames() {
        return serverNames;
    }
}

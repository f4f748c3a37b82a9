package de.tim.gateway.federation;

import java.time.Instant;
import java.util.Map;

import de.tim.matrix.id.ServerName;

/**
 * A verified TI federation list: the Matrix domains that belong to the TI-Messenger federation.
 *
 * <p>Lookups compare the host as DNS sees it (lower case, no trailing dot) plus the explicit port,
 * so {@code praxis-a.tim.local:8448} is not covered by an entry {@code praxis-a.tim.local}. Server
 * names that are not in canonical form (upper case, trailing dot, odd labels) are never federated:
 * a peer must not be able to match or evade an entry by spelling its name differently.
 *
 * @param version   the list's version; only ever increases
 * @param issuedAt  {@code iat}: start of validity
 * @param expiresAt {@code exp}: end of validity
 * @param domains   entries by {@link #key(ServerName)}
 */
public record FederationList(long version, Instant issuedAt, Instant expiresAt, Map<String, Entry> domains) {

    /** One domain of the list (FederationList.json {@code domainList} item). */
    public record Entry(String domain, String telematikId, boolean insurance, String timProvider) {
    }

    public FederationList {
        domains = Map.copyOf(domains);
    }

    public boolean contains(ServerName serverName) {
        return serverName.isCanonicalForm() && domains.containsKey(key(serverName));
    }

    public boolean validAt(Instant now) {
        return !now.isBefore(issuedAt) && !now.isAfter(expiresAt);
    }

    static String key(ServerName serverName) {
        String host = serverName.hostForComparison();
        return serverName.port().isPresent() ? host + ":" + serverName.port().getAsInt() : host;
    }
}

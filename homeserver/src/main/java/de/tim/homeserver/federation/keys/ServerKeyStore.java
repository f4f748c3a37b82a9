package de.tim.homeserver.federation.keys;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.FederationProperties;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.event.KeyLookup;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.json.StrictJson;
import de.tim.matrix.keys.ServerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Verify keys of other servers, as a {@link KeyLookup} per hosted domain. Keys of domains served by
 * this process come from the registry; remote keys from MongoDB, else fetched from the server itself
 * ({@code GET /_matrix/key/v2/server} through the egress proxy), verified and stored. A key counts for a
 * time only up to its {@code valid_until_ts} (capped at fetch time + 7 days) or, for old keys, its
 * {@code expired_ts}. A server is asked again at most every {@code key-refetch-interval}.
 */
@Service
public class ServerKeyStore {

    private static final Logger log = LoggerFactory.getLogger(ServerKeyStore.class);
    private static final String KEY_PATH = "/_matrix/key/v2/server";

    private final DomainRegistry registry;
    private final FederationClient client;
    private final RemoteKeyRepository repository;
    private final OwnServerKeys own;
    private final FederationProperties properties;
    private final Clock clock;
    /** (database, server) → time of the last fetch attempt. */
    private final Map<String, Long> lastAttempt = new ConcurrentHashMap<>();

    @Autowired
    ServerKeyStore(DomainRegistry registry, FederationClient client, RemoteKeyRepository repository, OwnServerKeys own,
            FederationProperties properties) {
        this(registry, client, repository, own, properties, Clock.systemUTC());
    }

    ServerKeyStore(DomainRegistry registry, FederationClient client, RemoteKeyRepository repository, OwnServerKeys own,
            FederationProperties properties, Clock clock) {
        this.registry = registry;
        this.client = client;
        this.repository = repository;
        this.own = own;
        this.properties = properties;
        this.clock = clock;
    }

    /** The key lookup used by {@code domain} to verify signatures of requests and events. */
    public KeyLookup lookup(Domain domain) {
        return (server, keyId, validAt) -> find(domain, server, keyId, validAt);
    }

    /** The key {@code keyId} of {@code server} if it was valid at {@code validAtMillis}. */
    public Optional<VerifyKey> find(Domain domain, ServerName server, String keyId, long validAtMillis) {
        Optional<Domain> local = registry.byServerName(server.toString());
        if (local.isPresent()) {
            VerifyKey key = local.get().signingKey().verifyKey();
            if (key.keyId().equals(keyId)) {
                return validAtMillis <= own.validUntil() ? Optional.of(key) : Optional.empty();
            }
            ServerKeys.OldKey old = own.oldKeys(local.get()).get(keyId);
            return old != null && validAtMillis <= old.expiredTs() ? Optional.of(old.key()) : Optional.empty();
        }
        Optional<VerifyKey> stored = stored(domain, server, keyId, validAtMillis);
        if (stored.isPresent()) {
            return stored;
        }
        if (!fetchDue(domain, server)) {
            return Optional.empty();
        }
        try {
            fetch(domain, server);
        } catch (FederationException | IllegalArgumentException e) {
            log.info("Keys of {} could not be fetched: {}", server, e.getMessage());
            return Optional.empty();
        }
        return stored(domain, server, keyId, validAtMillis);
    }

    /**
     * The verified key response of {@code server} valid at least until {@code minimumValidUntil}, fetched
     * if the stored one is older (notary use). Empty if the server cannot be reached or answers badly.
     */
    public Optional<ObjectNode> response(Domain domain, ServerName server, long minimumValidUntil) {
        Optional<Domain> local = registry.byServerName(server.toString());
        if (local.isPresent()) {
            return Optional.of(own.publish(local.get()));
        }
        Optional<RemoteKeyRepository.StoredResponse> stored = repository.findResponse(domain.database(), server.toString());
        if (stored.isPresent() && stored.get().validUntilTs() >= minimumValidUntil) {
            return Optional.of(StrictJson.parseObject(stored.get().json()));
        }
        try {
            return Optional.of(fetch(domain, server));
        } catch (FederationException | IllegalArgumentException e) {
            log.info("Keys of {} could not be fetched: {}", server, e.getMessage());
            return stored.map(s -> StrictJson.parseObject(s.json()));
        }
    }

    private Optional<VerifyKey> stored(Domain domain, ServerName server, String keyId, long validAtMillis) {
        return repository.find(domain.database(), server.toString(), keyId)
                .filter(k -> validAtMillis <= k.validUntilTs())
                .map(k -> VerifyKey.fromBase64(keyId, k.publicKey()));
    }

    private boolean fetchDue(Domain domain, ServerName server) {
        long now = clock.millis();
        String id = domain.databaseName() + " " + server;
        Long last = lastAttempt.get(id);
        if (last != null && now - last < properties.keyRefetchInterval().toMillis()) {
            return false;
        }
        return last == null ? lastAttempt.putIfAbsent(id, now) == null : lastAttempt.replace(id, last, now);
    }

    /** Fetches, verifies and stores the server's keys; returns the verified response. */
    ObjectNode fetch(Domain domain, ServerName server) {
        JsonNode answer = client.getUnsigned(domain, server.toString(), KEY_PATH);
        if (!(answer instanceof ObjectNode json)) {
            throw new IllegalArgumentException("Key response is not an object");
        }
        ServerKeys keys = ServerKeys.parseAndVerify(json, server);
        long now = clock.millis();
        long currentUntil = Math.min(keys.validUntilTs(), now + ServerKeys.MAX_VALIDITY.toMillis());
        keys.oldVerifyKeys().forEach((id, old) -> repository.save(domain.database(),
                new RemoteKeyRepository.StoredKey(server.toString(), id, old.key().publicKeyBase64(), old.expiredTs()), now));
        keys.verifyKeys().forEach((id, key) -> repository.save(domain.database(),
                new RemoteKeyRepository.StoredKey(server.toString(), id, key.publicKeyBase64(), currentUntil), now));
        repository.saveResponse(domain.database(), new RemoteKeyRepository.StoredResponse(server.toString(),
                CanonicalJson.encodeToString(json), keys.validUntilTs(), now));
        return json;
    }
}

package de.tim.homeserver.domain;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.error.MatrixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The domains this process serves: configured ones and those added at run time (kept in the central
 * registry so they survive restarts and other instances learn them on a cache miss).
 */
@Service
public class DomainRegistry {

    private static final Logger log = LoggerFactory.getLogger(DomainRegistry.class);
    private static final long RELOAD_INTERVAL_MS = 2_000;

    private final MongoClient client;
    private final DomainProperties properties;
    private final List<DomainStorage> storages;
    private final DomainRepository repository;
    private final SigningKeyRepository signingKeys = new SigningKeyRepository();
    private final Map<String, Domain> byServerName = new ConcurrentHashMap<>();
    private final Map<String, Domain> byHost = new ConcurrentHashMap<>();
    private final AtomicLong lastReload = new AtomicLong();

    public DomainRegistry(MongoClient client, DomainProperties properties, List<DomainStorage> storages) {
        this.client = client;
        this.properties = properties;
        this.storages = List.copyOf(storages);
        this.repository = new DomainRepository(client, properties.centralDatabase());
        for (DomainProperties.DomainConfig config : properties.domains()) {
            activate(withDefaults(config));
        }
        reloadFromRegistry();
    }

    /**
     * Rotates the domain's signing key: the new key signs from now on, the old one is published under
     * {@code old_verify_keys}. Other instances learn it through {@link #refreshSigningKey} (see
     * {@code federation.keys.SigningKeyRotation}).
     */
    public synchronized Domain rotateSigningKey(String serverName) {
        Domain current = byServerName(serverName).orElseThrow(() -> MatrixException.notFound("Unknown domain"));
        SigningKey key = signingKeys.rotate(current.database(), current.signingKey());
        Domain rotated = new Domain(current.serverName(), current.hosts(), current.databaseName(), current.publicBaseUrl(),
                current.wellKnownClient(), current.support(), current.registrationSharedSecret(), current.oidc(), key,
                current.database());
        byServerName.put(rotated.serverName(), rotated);
        byHost.replaceAll((host, d) -> d.serverName().equals(rotated.serverName()) ? rotated : d);
        log.info("Signing key of domain {} rotated to {}", rotated.serverName(), key.keyId());
        return rotated;
    }

    /**
     * Re-reads the domain's current signing key from its database and, if another instance rotated it, serves
     * the domain with the new key from now on. Returns the domain as served now (empty if not served here).
     */
    public synchronized Optional<Domain> refreshSigningKey(String serverName) {
        Domain current = byServerName.get(serverName);
        if (current == null) {
            return Optional.empty();
        }
        SigningKey stored = signingKeys.current(current.database());
        if (stored == null || stored.keyId().equals(current.signingKey().keyId())) {
            return Optional.of(current);
        }
        Domain refreshed = new Domain(current.serverName(), current.hosts(), current.databaseName(),
                current.publicBaseUrl(), current.wellKnownClient(), current.support(), current.registrationSharedSecret(),
                current.oidc(), stored, current.database());
        byServerName.put(refreshed.serverName(), refreshed);
        byHost.replaceAll((host, d) -> d.serverName().equals(refreshed.serverName()) ? refreshed : d);
        log.info("Signing key of domain {} rotated elsewhere, now {}", refreshed.serverName(), stored.keyId());
        return Optional.of(refreshed);
    }

    /** Former signing keys of the domain with the time they expired ({@code old_verify_keys}). */
    public java.util.Map<String, de.tim.matrix.keys.ServerKeys.OldKey> oldVerifyKeys(Domain domain) {
        return signingKeys.oldKeys(domain.database());
    }

    /** All domains currently served. */
    public Collection<Domain> all() {
        return List.copyOf(byServerName.values());
    }

    public Optional<Domain> byServerName(String serverName) {
        return Optional.ofNullable(byServerName.get(serverName));
    }

    /** The domain a request addressed to this host (as in the Host header, port optional) belongs to. */
    public Domain resolveHost(String host) {
        if (host == null || host.isBlank()) {
            throw MatrixException.notFound("No Matrix domain is served under this host");
        }
        Optional<Domain> found = lookupHost(host);
        if (found.isEmpty() && reloadDue()) {
            reloadFromRegistry();
            found = lookupHost(host);
        }
        return found.orElseThrow(() -> MatrixException.notFound("No Matrix domain is served under this host"));
    }

    /** Adds a domain at run time: registry entry, database, indexes, signing key. 409-like M_FORBIDDEN if it exists. */
    public Domain create(DomainProperties.DomainConfig requested) {
        if (!MatrixIds.isValidServerName(requested.serverName())) {
            throw MatrixException.invalidParam("Invalid server name");
        }
        DomainProperties.DomainConfig config = withDefaults(requested);
        if (byServerName.containsKey(config.serverName())) {
            throw new MatrixException(409, "M_DOMAIN_EXISTS", "Domain exists already");
        }
        for (String host : config.hosts()) {
            if (lookupHost(host).isPresent()) {
                throw new MatrixException(409, "M_DOMAIN_EXISTS", "Host is bound to another domain: " + host);
            }
        }
        if (!repository.insert(config)) {
            throw new MatrixException(409, "M_DOMAIN_EXISTS", "Domain or database exists already");
        }
        log.info("Domain {} added at run time", config.serverName());
        return activate(config);
    }

    private Optional<Domain> lookupHost(String rawHost) {
        String host = rawHost.trim().toLowerCase(Locale.ROOT);
        Domain exact = byHost.get(host);
        if (exact != null) {
            return Optional.of(exact);
        }
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            return Optional.ofNullable(byHost.get(host.substring(0, colon)));
        }
        return Optional.empty();
    }

    private boolean reloadDue() {
        long now = System.currentTimeMillis();
        long last = lastReload.get();
        return now - last >= RELOAD_INTERVAL_MS && lastReload.compareAndSet(last, now);
    }

    private synchronized void reloadFromRegistry() {
        lastReload.set(System.currentTimeMillis());
        for (DomainProperties.DomainConfig config : repository.findAll()) {
            if (!byServerName.containsKey(config.serverName())) {
                activate(config);
            }
        }
    }

    private synchronized Domain activate(DomainProperties.DomainConfig config) {
        Domain existing = byServerName.get(config.serverName());
        if (existing != null) {
            return existing;
        }
        MongoDatabase database = client.getDatabase(config.database());
        for (DomainStorage storage : storages) {
            storage.initialize(database);
        }
        SigningKey key = signingKeys.ensure(database);
        Domain domain = new Domain(config.serverName(), config.hosts(), config.database(), config.publicBaseUrl(),
                config.wellKnownClient(), config.support(), config.registrationSharedSecret(), config.oidc(), key, database);
        byServerName.put(domain.serverName(), domain);
        byHost.putIfAbsent(domain.serverName().toLowerCase(Locale.ROOT), domain);
        for (String host : domain.hosts()) {
            byHost.putIfAbsent(host.toLowerCase(Locale.ROOT), domain);
        }
        log.info("Serving Matrix domain {} (database {}, key {})", domain.serverName(), domain.databaseName(), key.keyId());
        return domain;
    }

    private DomainProperties.DomainConfig withDefaults(DomainProperties.DomainConfig config) {
        if (config.serverName() == null || !MatrixIds.isValidServerName(config.serverName())) {
            throw new IllegalArgumentException("invalid server name for domain: " + config.serverName());
        }
        String database = config.database() != null && !config.database().isBlank() ? config.database()
                : properties.databasePrefix() + config.serverName().replaceAll("[^A-Za-z0-9_-]", "_");
        if (database.length() > 63) {
            throw MatrixException.invalidParam("Database name too long for domain " + config.serverName());
        }
        String baseUrl = config.publicBaseUrl() != null ? config.publicBaseUrl() : "https://" + config.serverName();
        return new DomainProperties.DomainConfig(config.serverName(), config.hosts(), database, baseUrl,
                config.wellKnownClient(), config.support(), config.registrationSharedSecret(), config.oidc());
    }
}

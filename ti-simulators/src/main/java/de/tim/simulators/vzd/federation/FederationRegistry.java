package de.tim.simulators.vzd.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.simulators.SimulatorsDataDir;

/**
 * The TI-Messenger domains of the federation and the list's version, which increases with every change. Persisted to
 * {@code <data-dir>/vzd/federation.json} so the version keeps increasing across restarts. Thread-safe.
 */
@Component
public class FederationRegistry {

    private final ObjectMapper json;
    private final Path file;
    private final Map<String, FederationDomain> domains = new LinkedHashMap<>();
    private long version;

    public FederationRegistry(ObjectMapper json, SimulatorsDataDir dataDir) {
        this.json = json;
        this.file = dataDir.resolve("vzd").resolve("federation.json");
        load();
    }

    /** An immutable view of the list. */
    public record Snapshot(long version, List<FederationDomain> domains) {
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(version, domains.values().stream()
                .sorted(Comparator.comparing(FederationDomain::domain)).toList());
    }

    public synchronized Optional<FederationDomain> find(String domain) {
        return Optional.ofNullable(domains.get(key(domain)));
    }

    public synchronized boolean contains(String domain) {
        return domains.containsKey(key(domain));
    }

    public synchronized List<FederationDomain> ofProvider(String timProvider) {
        return domains.values().stream().filter(d -> d.timProvider().equals(timProvider))
                .sorted(Comparator.comparing(FederationDomain::domain)).toList();
    }

    /** Adds a domain; false if it is already there. */
    public synchronized boolean add(FederationDomain domain) {
        if (domains.containsKey(key(domain.domain()))) {
            return false;
        }
        domains.put(key(domain.domain()), domain);
        changed();
        return true;
    }

    /** Adds or replaces without the duplicate check (seeding). */
    public synchronized void put(FederationDomain domain) {
        if (!domain.equals(domains.get(key(domain.domain())))) {
            domains.put(key(domain.domain()), domain);
            changed();
        }
    }

    public synchronized void replace(FederationDomain domain) {
        domains.put(key(domain.domain()), domain);
        changed();
    }

    public synchronized boolean remove(String domain) {
        if (domains.remove(key(domain)) == null) {
            return false;
        }
        changed();
        return true;
    }

    private static String key(String domain) {
        return domain.toLowerCase(Locale.ROOT);
    }

    private void changed() {
        version++;
        store();
    }

    private record Stored(long version, List<FederationDomain> domainList) {
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            Stored stored = json.readValue(file.toFile(), Stored.class);
            version = stored.version();
            stored.domainList().forEach(d -> domains.put(key(d.domain()), d));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void store() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            json.writeValue(tmp.toFile(), new Stored(version, List.copyOf(domains.values())));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

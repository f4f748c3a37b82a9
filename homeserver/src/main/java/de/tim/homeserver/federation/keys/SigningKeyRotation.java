package de.tim.homeserver.federation.keys;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.room.SyncSignals;
import org.springframework.stereotype.Service;

/**
 * Rotates a domain's signing key and tells the other instances serving the domain: a
 * {@code homeserver-sync-signals} record with stream {@value #STREAM} (domain only, no key material), on which
 * {@link SigningKeyRefreshListener} of every instance re-reads the key from the database. So all instances sign
 * with and publish the new key within moments, not after a restart.
 */
@Service
public class SigningKeyRotation {

    /** The stream name of rotation signals on {@code homeserver-sync-signals}. */
    public static final String STREAM = "signing_key";

    private final DomainRegistry registry;
    private final SyncSignals signals;

    SigningKeyRotation(DomainRegistry registry, SyncSignals signals) {
        this.registry = registry;
        this.signals = signals;
    }

    /** A new key for the domain (the old one moves to {@code old_verify_keys}); announced to the other instances. */
    public Domain rotate(String serverName) {
        Domain rotated = registry.rotateSigningKey(serverName);
        signals.changed(rotated, STREAM, System.currentTimeMillis());
        return rotated;
    }
}

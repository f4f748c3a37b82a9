package de.tim.matrix.event;

import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.id.ServerName;
import java.util.Optional;

/**
 * Finds a server's verify key. Implementations (the homeserver's key store) return a key only if it
 * was valid at {@code validAtMillis}: {@code valid_until_ts} at least that time, capped at seven days
 * after fetching (fragment {@code v5-signing-requirements}); old keys from {@code old_verify_keys}
 * count until their {@code expired_ts}.
 */
@FunctionalInterface
public interface KeyLookup {

    Optional<VerifyKey> find(ServerName server, String keyId, long validAtMillis);
}

package de.tim.homeserver.federation.keys;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.id.ServerName;
import org.springframework.stereotype.Service;

/**
 * The notary side of "Querying Keys Through Another Server": answers with each requested server's
 * verified key response (stored, or fetched when the stored one expires before the requested
 * {@code minimum_valid_until_ts}), countersigned by the answering domain. Servers whose keys cannot be
 * obtained are left out.
 */
@Service
public class NotaryService {

    /** Most servers one query may name. */
    public static final int MAX_SERVERS = 100;

    private final ServerKeyStore store;
    private final Clock clock = Clock.systemUTC();

    NotaryService(ServerKeyStore store) {
        this.store = store;
    }

    /**
     * @param minimumValidUntil per server the latest {@code minimum_valid_until_ts} asked for, or
     *                          {@code null} for "now"
     */
    public List<ObjectNode> query(Domain notary, Map<ServerName, Long> minimumValidUntil) {
        List<ObjectNode> result = new ArrayList<>();
        long now = clock.millis();
        minimumValidUntil.forEach((server, minimum) -> {
            Optional<ObjectNode> response = store.response(notary, server, minimum == null ? now : minimum);
            response.ifPresent(json -> result.add(server.toString().equals(notary.serverName()) ? json
                    : JsonSigning.sign(json, notary.serverName(), notary.signingKey())));
        });
        return result;
    }
}

package de.tim.homeserver.federation.keys;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.auth.SignatureChecker;
import de.tim.matrix.event.PduSignatures;
import de.tim.matrix.event.PduVerifier;
import org.springframework.stereotype.Service;

/** matrix-core verifiers wired to the domain's key store (local and remote keys). */
@Service
public class EventAuthorizers {

    private final ServerKeyStore keys;

    EventAuthorizers(ServerKeyStore keys) {
        this.keys = keys;
    }

    /** Auth rules whose signature checks (restricted joins) know remote keys. */
    public EventAuthorizer authorizer(Domain domain) {
        return new EventAuthorizer(SignatureChecker.using(new PduSignatures(keys.lookup(domain))));
    }

    /** Format, signature and content hash checks of received PDUs. */
    public PduVerifier verifier(Domain domain) {
        return new PduVerifier(keys.lookup(domain));
    }
}

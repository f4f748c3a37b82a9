package de.tim.matrix.auth;

import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.PduSignatures;
import de.tim.matrix.id.ServerName;

/** Answers auth rule 4.2: is the event validly signed by a given server? */
@FunctionalInterface
public interface SignatureChecker {

    boolean isSignedBy(Pdu event, ServerName server);

    /** A checker backed by the server's key store. */
    static SignatureChecker using(PduSignatures signatures) {
        return signatures::isSignedBy;
    }
}

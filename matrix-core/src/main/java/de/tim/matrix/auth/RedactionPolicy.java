package de.tim.matrix.auth;

import de.tim.matrix.event.Pdu;

/**
 * "Handling redactions" (room versions 3+): the auth rules accept every {@code m.room.redaction} that
 * passes rule 7, but the server only applies it if the redacter has the redact level or is on the
 * same server as the original event's sender.
 */
public final class RedactionPolicy {

    private RedactionPolicy() {
    }

    /**
     * @param levels the power levels in the state before the redaction event
     */
    public static boolean mayApply(Pdu redaction, Pdu original, PowerLevels levels) {
        if (!redaction.roomId().equals(original.roomId())) {
            return false;
        }
        return levels.userLevel(redaction.sender().value()) >= levels.redact()
                || redaction.sender().domain().equals(original.sender().domain());
    }
}

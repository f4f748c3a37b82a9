package de.tim.gateway.contactlist;

import java.time.Instant;

import de.tim.matrix.id.UserId;

/**
 * One entry of a user's contact list: {@code contact} may invite {@code owner} between {@code start} and
 * {@code end} (seconds since the epoch; no end means open-ended).
 */
record ContactSetting(UserId owner, UserId contact, String displayName, long start, Long end) {

    boolean activeAt(Instant now) {
        long seconds = now.getEpochSecond();
        return start <= seconds && (end == null || seconds <= end);
    }
}

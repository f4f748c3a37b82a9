package de.tim.homeserver.auth;

import de.tim.homeserver.domain.Domain;

/** The authenticated caller of a request: user and device in the request's domain. */
public record Requester(Domain domain, String userId, String deviceId, String tokenHash) {

    @Override
    public String toString() {
        return "Requester[" + userId + "/" + deviceId + "]";
    }
}

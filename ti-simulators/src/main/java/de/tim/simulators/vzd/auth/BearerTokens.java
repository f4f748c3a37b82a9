package de.tim.simulators.vzd.auth;

import java.util.Locale;

import de.tim.simulators.vzd.VzdException;

/** Takes the token out of an {@code Authorization: Bearer ...} header value. */
public final class BearerTokens {

    private BearerTokens() {
    }

    public static String extract(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw VzdException.unauthorized("missing Authorization header");
        }
        String trimmed = authorization.trim();
        if (!trimmed.toLowerCase(Locale.ROOT).startsWith("bearer ") || trimmed.length() <= 7) {
            throw VzdException.unauthorized("Authorization header is not a Bearer token");
        }
        return trimmed.substring(7).trim();
    }
}

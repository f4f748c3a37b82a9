package de.tim.routes.federationlist;

import java.time.Instant;

/**
 * An accepted federation list.
 *
 * @param version     its version from the payload
 * @param jws         the VZD's compact JWS, unchanged
 * @param issuedAt    {@code iat}
 * @param expiresAt   {@code exp}
 * @param domainCount entries in {@code domainList}
 * @param acceptedAt  when this service verified and stored it
 */
public record FederationList(long version, String jws, Instant issuedAt, Instant expiresAt, int domainCount,
                             Instant acceptedAt) {
}

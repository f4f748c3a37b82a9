package de.tim.simulators.idp;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The central IDP simulator.
 *
 * @param issuer        the {@code iss} of ID_TOKENs and the discovery document; empty: {@code <request base>/idp}
 * @param algorithm     {@code BP256R1} or {@code ES256}
 * @param tokenLifetime lifetime of ID_TOKEN and access token
 * @param codeLifetime  lifetime of an authorization code
 * @param clients       registered clients; a client with no redirect URIs accepts any
 * @param identities    test smartcard identities (in addition to those derived from the seed data)
 */
@ConfigurationProperties(IdpProperties.PREFIX)
public record IdpProperties(
        String issuer,
        @DefaultValue("BP256R1") String algorithm,
        @DefaultValue("5m") Duration tokenLifetime,
        @DefaultValue("60s") Duration codeLifetime,
        @DefaultValue List<Client> clients,
        @DefaultValue List<SmartcardIdentity> identities) {

    public static final String PREFIX = "tim.simulators.idp";

    /**
     * @param clientId     client_id
     * @param redirectUris allowed redirect URIs (exact match); empty: any
     */
    public record Client(String clientId, @DefaultValue List<String> redirectUris) {
    }
}

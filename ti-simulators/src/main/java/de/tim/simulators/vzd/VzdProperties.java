package de.tim.simulators.vzd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The VZD-FHIR-Directory simulator.
 *
 * @param baseUrl                 public base URL used in token {@code iss}/{@code aud}; empty: taken from each request
 * @param clients                 OAuth clients (TI-Messenger providers' registration services)
 * @param tiProviderTokenLifetime lifetime of the OAuth ti-provider-accesstoken
 * @param tokenLifetime           lifetime of provider-, search- and owner-accesstokens
 * @param federationListAlgorithm {@code BP256R1} or {@code ES256}: which signer signs the federation list
 * @param federationListValidity  {@code exp - iat} of the federation list JWS
 * @param homeservers             Matrix server name to the base URL of its gateway's federation port, for the
 *                                {@code /_matrix/federation/v1/openid/userinfo} call of {@code /tim-authenticate}
 * @param homeserverCaPem         PEM file with the CA(s) that issued the gateways' TLS certificates; empty: JDK default
 * @param registeredSignerCertificates PEM files with further registered RegService-OpenID-Token signer certificates
 *                                (the test PKI's registration-service signer is always registered)
 * @param idpBaseUrl              base URL of the IDP used for the owner login of HBA holders; empty: this server's /idp
 * @param idpClientId             client_id of the Auth-Service at the IDP
 * @param validateOwnerWrites     validate resources written through /owner against the VZD profiles (400 if not)
 */
@ConfigurationProperties(VzdProperties.PREFIX)
public record VzdProperties(
        String baseUrl,
        @DefaultValue List<Client> clients,
        @DefaultValue("5m") Duration tiProviderTokenLifetime,
        @DefaultValue("24h") Duration tokenLifetime,
        @DefaultValue("BP256R1") String federationListAlgorithm,
        @DefaultValue("24h") Duration federationListValidity,
        @DefaultValue Map<String, String> homeservers,
        Path homeserverCaPem,
        @DefaultValue List<Path> registeredSignerCertificates,
        String idpBaseUrl,
        @DefaultValue("vzd-fhir-directory") String idpClientId,
        @DefaultValue("true") boolean validateOwnerWrites) {

    public static final String PREFIX = "tim.simulators.vzd";

    /**
     * An OAuth client of the ti-provider realm.
     *
     * @param clientId     client_id
     * @param clientSecret client_secret
     * @param timProvider  the provider's "Zuweisungsgruppe im TI-ITSM-System", written as {@code timProvider} into the
     *                     federation list for the domains it adds
     */
    public record Client(String clientId, String clientSecret, String timProvider) {
    }
}

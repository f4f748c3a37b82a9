package de.tim.homeserver.domain;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Matrix domains (tenants) this process serves, and where their data lives.
 *
 * @param domains             domains configured statically; more can be added at run time
 * @param centralDatabase     MongoDB database holding the registry of run-time domains (default {@code tim_homeserver})
 * @param databasePrefix      prefix of each domain's database name (default {@code tim_hs_})
 * @param trustForwardedHost  bind requests by {@code X-Forwarded-Host} instead of {@code Host} (default false)
 * @param provisioningSecret  bearer secret for the domain admin API {@code /_tim/admin/v1/domains}; unset: admin tokens only
 */
@ConfigurationProperties(DomainProperties.PREFIX)
public record DomainProperties(List<DomainConfig> domains, String centralDatabase, String databasePrefix,
        Boolean trustForwardedHost, String provisioningSecret) {

    public static final String PREFIX = "tim.homeserver";

    public DomainProperties {
        domains = domains == null ? List.of() : List.copyOf(domains);
        centralDatabase = centralDatabase == null || centralDatabase.isBlank() ? "tim_homeserver" : centralDatabase;
        databasePrefix = databasePrefix == null ? "tim_hs_" : databasePrefix;
        trustForwardedHost = trustForwardedHost != null && trustForwardedHost;
    }

    /**
     * One Matrix domain.
     *
     * @param serverName               the Matrix server name (e.g. {@code praxis-a.tim.local})
     * @param hosts                    further public host names (with or without port) that mean this domain
     * @param database                 MongoDB database name; default prefix + server name with dots as underscores
     * @param publicBaseUrl            base URL clients use (well-known {@code m.homeserver.base_url})
     * @param wellKnownClient          extra top-level fields of {@code /.well-known/matrix/client}
     * @param support                  content of {@code /.well-known/matrix/support}; unset answers 404
     * @param registrationSharedSecret secret of Synapse-style shared-secret registration; unset disables it
     * @param oidc                     single sign-on through the organisation's OpenID Connect provider; unset: no SSO
     */
    public record DomainConfig(String serverName, List<String> hosts, String database, String publicBaseUrl,
            Map<String, Object> wellKnownClient, Support support, String registrationSharedSecret, Oidc oidc) {

        public DomainConfig {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            wellKnownClient = wellKnownClient == null ? Map.of() : Map.copyOf(wellKnownClient);
        }
    }

    /**
     * An OpenID Connect provider for {@code m.login.sso} (authorization code flow with PKCE S256).
     *
     * @param issuer                 issuer URL; endpoints are discovered from its {@code /.well-known/openid-configuration}
     *                               unless all of the endpoints below are set
     * @param clientId               client id registered at the provider
     * @param clientSecret           client secret (sent as {@code client_secret_post}); unset for public clients
     * @param authorizationEndpoint  overrides discovery
     * @param tokenEndpoint          overrides discovery
     * @param jwksUri                overrides discovery
     * @param scopes                 requested scopes (default {@code openid profile})
     * @param localpartClaim         ID-token claim that becomes the Matrix localpart, lower-cased (default {@code preferred_username})
     * @param displaynameClaim       claim for the display name of new users (default {@code name})
     * @param idpId                  identity provider id shown to clients (default {@code oidc})
     * @param idpName                identity provider name shown to clients (default {@code Single Sign-On})
     * @param autoCreateUsers        create unknown users on first login (default true)
     * @param allowedClientRedirects prefixes a client's {@code redirectUrl} must start with; empty rejects every redirect
     */
    public record Oidc(String issuer, String clientId, String clientSecret, String authorizationEndpoint,
            String tokenEndpoint, String jwksUri, String scopes, String localpartClaim, String displaynameClaim,
            String idpId, String idpName, Boolean autoCreateUsers, List<String> allowedClientRedirects) {

        public Oidc {
            scopes = scopes == null ? "openid profile" : scopes;
            localpartClaim = localpartClaim == null ? "preferred_username" : localpartClaim;
            displaynameClaim = displaynameClaim == null ? "name" : displaynameClaim;
            idpId = idpId == null ? "oidc" : idpId;
            idpName = idpName == null ? "Single Sign-On" : idpName;
            autoCreateUsers = autoCreateUsers == null || autoCreateUsers;
            allowedClientRedirects = allowedClientRedirects == null ? List.of() : List.copyOf(allowedClientRedirects);
        }

        @Override
        public String toString() {
            return "Oidc[" + issuer + ", " + clientId + "]";
        }
    }

    /** {@code /.well-known/matrix/support}: contacts and/or a support page. */
    public record Support(List<Contact> contacts, String supportPage) {
        public Support {
            contacts = contacts == null ? List.of() : List.copyOf(contacts);
        }
    }

    /** A support contact; at least one of matrix id and e-mail address. */
    public record Contact(String role, String matrixId, String emailAddress) {
    }
}

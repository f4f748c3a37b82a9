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
     */
    public record DomainConfig(String serverName, List<String> hosts, String database, String publicBaseUrl,
            Map<String, Object> wellKnownClient, Support support, String registrationSharedSecret) {

        public DomainConfig {
            hosts = hosts == null ? List.of() : List.copyOf(hosts);
            wellKnownClient = wellKnownClient == null ? Map.of() : Map.copyOf(wellKnownClient);
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

package de.tim.gateway.federation;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the gateway gets the TI federation list and how it trusts it.
 *
 * @param listUri             the registration service's I_internVerification federation-list endpoint;
 *                            unset means no list, so every federation check denies
 * @param accessToken         bearer token this gateway presents to I_internVerification; never logged
 * @param trustAnchors        PEM files with the TI root certificates (several root versions and cross
 *                            certificates may be listed); the list's x5c chain must end in one of them
 * @param algorithms          JWS algorithms accepted for the list ({@code BP256R1}, {@code ES256})
 * @param signerRoleOid       role OID the signer certificate's admission extension must carry; unset
 *                            skips the role check
 * @param refreshInterval     how often the list is requested (ML-137902: at least hourly)
 * @param missRefetchInterval least time between two extra fetches triggered by an unknown domain
 * @param requestTimeout      timeout of one fetch
 * @param rootCheckInterval   how often the trust anchor files are re-read for new root versions (weekly)
 */
@ConfigurationProperties(FederationListProperties.PREFIX)
public record FederationListProperties(
        URI listUri,
        String accessToken,
        List<Path> trustAnchors,
        List<String> algorithms,
        String signerRoleOid,
        Duration refreshInterval,
        Duration missRefetchInterval,
        Duration requestTimeout,
        Duration rootCheckInterval) {

    public static final String PREFIX = "tim.gateway.federation";

    public FederationListProperties {
        trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
        algorithms = algorithms == null || algorithms.isEmpty() ? List.of("BP256R1", "ES256") : List.copyOf(algorithms);
        refreshInterval = refreshInterval == null ? Duration.ofHours(1) : refreshInterval;
        missRefetchInterval = missRefetchInterval == null ? Duration.ofSeconds(10) : missRefetchInterval;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        rootCheckInterval = rootCheckInterval == null ? Duration.ofDays(7) : rootCheckInterval;
        if (refreshInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(PREFIX + ".refresh-interval must be at most one hour (ML-137902)");
        }
    }
}

package de.tim.routes.federationlist;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The TI federation list kept by this service.
 *
 * @param trustAnchors    PEM files with the TI root certificates the list's x5c chain must end in; missing files are
 *                        skipped with a warning, and without any anchor every list is refused
 * @param algorithms      accepted JWS algorithms ({@code BP256R1}, {@code ES256})
 * @param signerRoleOid   role OID the signer certificate must carry; empty: no role check
 * @param refreshInterval periodic fetch from the VZD (at most one hour); the first fetch runs at start
 * @param checkInterval   least time between VZD checks caused by proxy requests (the rate limit of "on every request")
 * @param clockSkew       tolerance for {@code iat} in the future
 */
@Validated
@ConfigurationProperties(FederationListProperties.PREFIX)
public record FederationListProperties(
        @DefaultValue List<Path> trustAnchors,
        @DefaultValue({"BP256R1", "ES256"}) @NotEmpty Set<String> algorithms,
        String signerRoleOid,
        @DefaultValue("30m") @NotNull Duration refreshInterval,
        @DefaultValue("10s") @NotNull Duration checkInterval,
        @DefaultValue("60s") @NotNull Duration clockSkew) {

    public static final String PREFIX = "tim.routes.federation-list";

    public FederationListProperties {
        if (refreshInterval != null && refreshInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(PREFIX + ".refresh-interval must be at most 1h");
        }
    }
}

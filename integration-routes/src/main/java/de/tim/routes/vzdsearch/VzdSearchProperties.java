package de.tim.routes.vzdsearch;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Read access to the VZD-FHIR-Directory's {@code /search} API (FHIR_VZD_HOWTO_Authenticate "Authenticate for the search
 * endpoint"): a Matrix-OpenID-Token of this provider's service account, requested at its homeserver, is exchanged at
 * {@code /tim-authenticate} for a search-accesstoken. URIs are Camel placeholders ({@code tim.routes.vzd-search.*-uri}).
 *
 * @param userId       MXID of the service account on one of the provider's homeservers (its server must be on the
 *                     federation list); empty: directory searches fail as "not configured"
 * @param accessToken  Matrix access token of that account; never logged
 * @param homeserverProxySecret the homeserver's proxy secret ({@code X-Tim-Proxy-Auth}); never logged
 * @param cacheTtl     how long a search answer (KIM address lookup, Endpoint visibility) is reused
 * @param cacheSize    most cached answers
 */
@Validated
@ConfigurationProperties(VzdSearchProperties.PREFIX)
public record VzdSearchProperties(
        String userId,
        String accessToken,
        String homeserverProxySecret,
        @DefaultValue("60s") @NotNull Duration cacheTtl,
        @DefaultValue("10000") int cacheSize) {

    public static final String PREFIX = "tim.routes.vzd-search";

    public boolean configured() {
        return userId != null && !userId.isBlank() && accessToken != null && !accessToken.isBlank();
    }

    /** The server name of the service account (the part after the first ':'). */
    public String serverName() {
        return userId.substring(userId.indexOf(':') + 1);
    }

    @Override
    public String toString() {
        return "VzdSearchProperties[userId=" + userId + ", accessToken=***, cacheTtl=" + cacheTtl + "]";
    }
}

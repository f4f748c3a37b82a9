package de.tim.gateway.route;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The homeserver behind this Messenger-Proxy.
 *
 * @param homeserverUri base URI of the homeserver, reachable only from this gateway (bind it internally)
 * @param proxySecret   shared secret sent as {@value #PROXY_AUTH_HEADER} so the homeserver accepts traffic
 *                      from its gateway only (ML-132863); never logged
 */
@Validated
@ConfigurationProperties(UpstreamProperties.PREFIX)
public record UpstreamProperties(@NotNull URI homeserverUri, @NotBlank String proxySecret) {

    public static final String PREFIX = "tim.gateway.upstream";
    public static final String PROXY_AUTH_HEADER = "X-Tim-Proxy-Auth";
}

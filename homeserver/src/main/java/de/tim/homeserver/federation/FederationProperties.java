package de.tim.homeserver.federation;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Federation (server-server API). Outbound requests never go to a remote server directly: they are
 * sent in absolute form to the egress listener of the domain's Messenger-Proxy.
 *
 * @param egressProxy        the egress listener used by every domain without its own entry in
 *                           {@code egressProxies}, e.g. {@code http://127.0.0.1:8449}; unset (and no
 *                           per-domain entry): outbound federation fails with 502 {@code M_UNKNOWN}
 * @param egressProxies      per hosted server name, the egress listener of that domain's gateway
 * @param egressProxySecret  sent as {@code X-Tim-Proxy-Auth} to the egress listener (default: the
 *                           homeserver's {@code tim.homeserver.proxy-secret})
 * @param connectTimeout     connection timeout towards the egress listener (default 5s)
 * @param requestTimeout     timeout of one outbound request including the remote answer (default 30s)
 * @param keyValidity        {@code valid_until_ts} of our published keys is now plus this (default 1d)
 * @param keyRefetchInterval a remote server's keys are fetched again at most this often when a key is
 *                           unknown or no longer valid (default 1m)
 * @param retryInitial       first backoff after a failed transaction to a destination (default 2s; doubles)
 * @param retryMax           longest backoff between transaction attempts (default 1h)
 */
@ConfigurationProperties(FederationProperties.PREFIX)
public record FederationProperties(URI egressProxy, Map<String, URI> egressProxies, String egressProxySecret,
        Duration connectTimeout, Duration requestTimeout, Duration keyValidity, Duration keyRefetchInterval,
        Duration retryInitial, Duration retryMax) {

    public static final String PREFIX = "tim.homeserver.federation";

    public FederationProperties {
        egressProxies = egressProxies == null ? Map.of() : Map.copyOf(egressProxies);
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        keyValidity = keyValidity == null ? Duration.ofDays(1) : keyValidity;
        keyRefetchInterval = keyRefetchInterval == null ? Duration.ofMinutes(1) : keyRefetchInterval;
        retryInitial = retryInitial == null ? Duration.ofSeconds(2) : retryInitial;
        retryMax = retryMax == null ? Duration.ofHours(1) : retryMax;
    }

    /** The egress listener for requests from {@code originServerName}, if any is configured. */
    public Optional<URI> egressFor(String originServerName) {
        URI own = egressProxies.get(originServerName);
        return Optional.ofNullable(own != null ? own : egressProxy);
    }
}

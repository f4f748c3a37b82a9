package de.tim.gateway.egress;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The egress proxy for the homeserver's outbound federation.
 *
 * @param serverAddresses fixed base URIs of remote Messenger-Proxies by server name (e.g. for the local stack,
 *                        where {@code *.tim.local} is not in DNS); names not listed are discovered
 * @param trustAnchors    PEM files with CAs trusted for remote proxies in addition to the JDK's defaults
 * @param discoveryCacheTtl how long a discovered address is reused
 */
@ConfigurationProperties(EgressProperties.PREFIX)
public record EgressProperties(Map<String, URI> serverAddresses, List<Path> trustAnchors, Duration discoveryCacheTtl) {

    public static final String PREFIX = "tim.gateway.egress";

    public EgressProperties {
        serverAddresses = serverAddresses == null ? Map.of() : Map.copyOf(serverAddresses);
        trustAnchors = trustAnchors == null ? List.of() : List.copyOf(trustAnchors);
        discoveryCacheTtl = discoveryCacheTtl == null ? Duration.ofHours(1) : discoveryCacheTtl;
    }
}

package de.tim.gateway.federation;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The TI's ROOT-CA download point (gemSpec_TI-Messenger-FD, "Föderationsliste": weekly check for new root
 * versions and cross certificates, [ROOT-CA-JSON] {@code https://download.tsl.ti-dienste.de/ECC/ROOT-CA/roots.json}).
 * Checked every {@code tim.gateway.federation.root-check-interval} (weekly) and once at start-up.
 *
 * @param uri            the {@code roots.json} URL; unset switches the download check off (the trust anchor
 *                       files are still re-read)
 * @param requestTimeout timeout of one download (default 30s)
 * @param maxSize        largest accepted {@code roots.json} in bytes (default 1 MiB)
 */
@ConfigurationProperties(TrustRootListProperties.PREFIX)
public record TrustRootListProperties(URI uri, Duration requestTimeout, Integer maxSize) {

    public static final String PREFIX = "tim.gateway.federation.root-list";

    public TrustRootListProperties {
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
        maxSize = maxSize == null ? 1024 * 1024 : maxSize;
    }
}

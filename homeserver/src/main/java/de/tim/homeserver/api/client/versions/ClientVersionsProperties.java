package de.tim.homeserver.api.client.versions;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What {@code GET /_matrix/client/versions} announces.
 *
 * @param versions         spec versions (default v1.1 … v1.11; the TI-M 1.1 approval needs a list up to v1.3)
 * @param unstableFeatures unstable feature flags (default none)
 */
@ConfigurationProperties(ClientVersionsProperties.PREFIX)
public record ClientVersionsProperties(List<String> versions, Map<String, Boolean> unstableFeatures) {

    public static final String PREFIX = "tim.homeserver.client";

    public ClientVersionsProperties {
        versions = versions == null || versions.isEmpty()
                ? List.of("v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6", "v1.7", "v1.8", "v1.9", "v1.10", "v1.11")
                : List.copyOf(versions);
        unstableFeatures = unstableFeatures == null ? Map.of() : Map.copyOf(unstableFeatures);
    }
}

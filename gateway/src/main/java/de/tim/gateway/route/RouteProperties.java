package de.tim.gateway.route;

import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the gateway offers on its listeners.
 *
 * @param serverNames          the Matrix server names served behind this gateway (own domains)
 * @param clientVersionAliases path versions accepted as aliases of {@code v3} (e.g. {@code r0}); others are unknown
 * @param advertisedVersions   spec versions {@code /_matrix/client/versions} may announce; the homeserver's
 *                             answer is cut down to these (TI-M 1.1 approval: up to v1.3)
 * @param maxInspectedBody     largest JSON body of an inspected request (createRoom, invite, state); larger
 *                             ones are refused with M_TOO_LARGE
 * @param maxInspectedFederationBody largest inspected federation body (invites, {@code /send} transactions of up to
 *                             50 PDUs of 64 KiB and 100 EDUs); larger ones are refused with M_TOO_LARGE
 */
@ConfigurationProperties(RouteProperties.PREFIX)
public record RouteProperties(
        List<String> serverNames,
        Set<String> clientVersionAliases,
        List<String> advertisedVersions,
        Integer maxInspectedBody,
        Integer maxInspectedFederationBody) {

    public static final String PREFIX = "tim.gateway.routes";

    public RouteProperties {
        serverNames = serverNames == null ? List.of() : List.copyOf(serverNames);
        clientVersionAliases = clientVersionAliases == null ? Set.of("r0") : Set.copyOf(clientVersionAliases);
        advertisedVersions = advertisedVersions == null ? List.of() : List.copyOf(advertisedVersions);
        maxInspectedBody = maxInspectedBody == null ? 1024 * 1024 : maxInspectedBody;
        maxInspectedFederationBody = maxInspectedFederationBody == null ? 8 * 1024 * 1024 : maxInspectedFederationBody;
    }
}

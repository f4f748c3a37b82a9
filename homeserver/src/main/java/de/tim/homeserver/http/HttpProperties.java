package de.tim.homeserver.http;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Request handling of the Matrix HTTP APIs.
 *
 * @param maxBodySize largest accepted request body of the JSON APIs (default 1MB); larger bodies get 413 M_TOO_LARGE
 * @param maxFederationBodySize largest accepted body of the federation API (default 8MB): a {@code /send} transaction
 *                    carries up to 50 PDUs of 64 KiB and 100 EDUs
 * @param cors        answer CORS pre-flights and add the CORS headers the C-S spec requires (default true)
 * @param trustForwardedFor take the client address from {@code X-Forwarded-For} (set by the Messenger-Proxy; default false)
 * @param clientVersionAliases path versions served as aliases of the Client-Server {@code v3} paths (default {@code r0})
 */
@ConfigurationProperties(HttpProperties.PREFIX)
public record HttpProperties(DataSize maxBodySize, DataSize maxFederationBodySize, Boolean cors, Boolean trustForwardedFor,
        Set<String> clientVersionAliases) {

    public static final String PREFIX = "tim.homeserver.http";

    public HttpProperties {
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
        maxFederationBodySize = maxFederationBodySize == null ? DataSize.ofMegabytes(8) : maxFederationBodySize;
        cors = cors == null || cors;
        trustForwardedFor = trustForwardedFor != null && trustForwardedFor;
        clientVersionAliases = clientVersionAliases == null ? Set.of("r0") : Set.copyOf(clientVersionAliases);
    }
}

package de.tim.gateway.check.client;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The approved-client check (gemSpec_TI-Messenger-FD, "Prüfung des verwendeten Clients"): every
 * Client-Server request must name the client_id of an approved TI-Messenger-Client, which its
 * manufacturer has given the provider.
 *
 * @param enabled        switch the check on (default off, e.g. for the local stack)
 * @param header         request header carrying the client id; the query parameter {@code client_id}
 *                       is accepted as well
 * @param approvedClients the approved client ids
 */
@ConfigurationProperties(ClientIdProperties.PREFIX)
public record ClientIdProperties(Boolean enabled, String header, Set<String> approvedClients) {

    public static final String PREFIX = "tim.gateway.client-check";

    public ClientIdProperties {
        enabled = enabled != null && enabled;
        header = header == null || header.isBlank() ? "X-TIM-Client-Id" : header;
        approvedClients = approvedClients == null ? Set.of() : Set.copyOf(approvedClients);
    }
}

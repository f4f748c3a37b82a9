package de.tim.gateway.listener;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's listeners: {@code server.port} is the Client-Server listener; the federation listener
 * takes Server-Server traffic on its own port with the same TLS material.
 *
 * @param federationPort port of the federation listener; 0 picks a free port, unset disables it
 * @param egressPort     port of the egress listener (plain HTTP, for the homeserver's outbound federation);
 *                       0 picks a free port, unset disables it
 * @param egressAddress  address the egress listener binds to; keep it internal (default 127.0.0.1)
 */
@ConfigurationProperties(ListenerProperties.PREFIX)
public record ListenerProperties(Integer federationPort, Integer egressPort, String egressAddress) {

    public ListenerProperties {
        egressAddress = egressAddress == null || egressAddress.isBlank() ? "127.0.0.1" : egressAddress;
    }

    public static final String PREFIX = "tim.gateway.listener";
}

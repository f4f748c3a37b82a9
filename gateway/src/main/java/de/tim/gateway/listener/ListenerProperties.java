package de.tim.gateway.listener;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's listeners: {@code server.port} is the Client-Server listener; the federation listener
 * takes Server-Server traffic on its own port with the same TLS material.
 *
 * @param federationPort port of the federation listener; 0 picks a free port, unset disables it
 */
@ConfigurationProperties(ListenerProperties.PREFIX)
public record ListenerProperties(Integer federationPort) {

    public static final String PREFIX = "tim.gateway.listener";
}

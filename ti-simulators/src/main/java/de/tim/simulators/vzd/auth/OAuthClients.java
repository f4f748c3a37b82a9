package de.tim.simulators.vzd.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import org.springframework.stereotype.Component;

import de.tim.simulators.vzd.VzdProperties;

/** The configured OAuth clients of the ti-provider realm. */
@Component
public class OAuthClients {

    private final VzdProperties properties;

    public OAuthClients(VzdProperties properties) {
        this.properties = properties;
    }

    public Optional<VzdProperties.Client> find(String clientId) {
        return properties.clients().stream().filter(c -> c.clientId().equals(clientId)).findFirst();
    }

    /** The client if id and secret match (constant-time secret comparison). */
    public Optional<VzdProperties.Client> authenticate(String clientId, String secret) {
        if (clientId == null || secret == null) {
            return Optional.empty();
        }
        return find(clientId).filter(c -> MessageDigest.isEqual(
                c.clientSecret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8)));
    }
}

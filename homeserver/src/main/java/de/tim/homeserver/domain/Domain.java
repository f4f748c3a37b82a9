package de.tim.homeserver.domain;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;
import de.tim.matrix.crypto.SigningKey;

/**
 * A Matrix domain served by this process: its settings, its own MongoDB database and its ed25519
 * signing key (generated when the domain is created, stored in its database).
 * Every service takes the domain explicitly; nothing reads or writes across domains.
 */
public record Domain(String serverName, List<String> hosts, String databaseName, String publicBaseUrl,
        Map<String, Object> wellKnownClient, DomainProperties.Support support, String registrationSharedSecret,
        DomainProperties.Oidc oidc, SigningKey signingKey, MongoDatabase database) {

    /** Whether the user id belongs to this domain. */
    public boolean isLocal(String userId) {
        int colon = userId.indexOf(':');
        return colon > 0 && userId.substring(colon + 1).equals(serverName);
    }

    public String userId(String localpart) {
        return "@" + localpart + ":" + serverName;
    }

    @Override
    public String toString() {
        return "Domain[" + serverName + "]";
    }
}

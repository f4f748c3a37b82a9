package de.tim.homeserver.domain;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoDatabase;

/**
 * A Matrix domain served by this process: its settings, its own MongoDB database and its signing key.
 * Every service takes the domain explicitly; nothing reads or writes across domains.
 */
public record Domain(String serverName, List<String> hosts, String databaseName, String publicBaseUrl,
        Map<String, Object> wellKnownClient, DomainProperties.Support support, String registrationSharedSecret,
        SigningKey signingKey, MongoDatabase database) {

    /** The domain's ed25519 signing key: id ({@code ed25519:...}), unpadded base64 seed and public key. */
    public record SigningKey(String keyId, String seed, String publicKey) {
        @Override
        public String toString() {
            return "SigningKey[" + keyId + "]";
        }
    }

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

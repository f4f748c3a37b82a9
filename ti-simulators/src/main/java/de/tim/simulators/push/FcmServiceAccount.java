package de.tim.simulators.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.simulators.SimulatorsDataDir;
import org.springframework.stereotype.Component;

/**
 * The Google service account of the simulated FCM project: an RSA key pair written as a Google
 * service-account JSON file ({@code <data-dir>/push/fcm-service-account.json}) for the push gateway, whose
 * OAuth assertions {@link FcmOAuthController} verifies with the public key. Created on first start.
 */
@Component
public class FcmServiceAccount {

    static final String FILE = "fcm-service-account.json";
    static final String PROJECT = "tim-local";
    static final String CLIENT_EMAIL = "push-gateway@tim-local.iam.gserviceaccount.com";

    private final Path file;
    private final String keyId;
    private final RSAPublicKey publicKey;

    public FcmServiceAccount(SimulatorsDataDir dataDir) {
        this.file = dataDir.resolve("push").resolve(FILE);
        try {
            Files.createDirectories(file.getParent());
            ObjectMapper json = new ObjectMapper();
            if (!Files.exists(file)) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                String pem = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
                ObjectNode account = json.createObjectNode()
                        .put("type", "service_account")
                        .put("project_id", PROJECT)
                        .put("private_key_id", UUID.randomUUID().toString().replace("-", ""))
                        .put("private_key", pem)
                        .put("client_email", CLIENT_EMAIL)
                        .put("token_uri", "https://oauth2.googleapis.com/token");
                Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(account));
            }
            JsonNode account = json.readTree(file.toFile());
            this.keyId = account.path("private_key_id").asText();
            String pem = account.path("private_key").asText()
                    .replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            this.publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the FCM service account in " + file, e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot prepare the FCM service account", e);
        }
    }

    /** Where the service-account JSON for the push gateway is. */
    public Path file() {
        return file;
    }

    String keyId() {
        return keyId;
    }

    RSAPublicKey publicKey() {
        return publicKey;
    }
}

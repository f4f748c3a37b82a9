package de.tim.routes.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import de.tim.routes.error.ApiException;

/**
 * AES-256-GCM for TOTP secrets at rest: 96-bit random IV per encryption, 128-bit tag, the key id stored with the
 * ciphertext (so keys can rotate), and the account ({@code username}, {@code telematikId}) as associated data, so a
 * ciphertext copied to another account does not decrypt. Keys come from {@code tim.routes.admin.totp-encryption.keys}.
 */
@Component
public class TotpSecretCipher {

    /** The stored form: key id, IV and ciphertext with tag (both base64). */
    public record Sealed(String keyId, String iv, String ciphertext) {
    }

    static final String PRODUCTION_PROFILE = "production";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ID = "[A-Za-z0-9._-]{1,32}";

    private final Map<String, SecretKey> keys = new LinkedHashMap<>();
    private final String activeKeyId;

    public TotpSecretCipher(TotpEncryptionProperties properties, Environment environment) {
        for (int i = 0; i < properties.keys().size(); i++) {
            String entry = properties.keys().get(i).trim();
            int colon = entry.indexOf(':');
            String id = colon > 0 ? entry.substring(0, colon) : "";
            if (!id.matches(KEY_ID)) {
                throw new IllegalStateException(TotpEncryptionProperties.PREFIX + ".keys[" + i + "] must be <key id>:<base64 key>");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(TotpEncryptionProperties.PREFIX + ".keys[" + i + "] is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException(TotpEncryptionProperties.PREFIX + ".keys[" + i + "] must be 32 bytes (AES-256)");
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalStateException(TotpEncryptionProperties.PREFIX + ".keys[" + i + "] repeats key id " + id);
            }
        }
        activeKeyId = keys.isEmpty() ? null : keys.keySet().iterator().next();
        if (activeKeyId == null && environment.acceptsProfiles(Profiles.of(PRODUCTION_PROFILE))) {
            throw new IllegalStateException(TotpEncryptionProperties.PREFIX + ".keys is not set: the profile '" + PRODUCTION_PROFILE
                    + "' refuses to run without TOTP encryption keys");
        }
    }

    public boolean configured() {
        return activeKeyId != null;
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    Sealed seal(String secret, String username, String telematikId) {
        SecretKey key = keys.get(requireConfigured());
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(username, telematikId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.US_ASCII));
            return new Sealed(activeKeyId, Base64.getEncoder().encodeToString(iv), Base64.getEncoder().encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TOTP secret encryption failed", e);
        }
    }

    String open(Sealed sealed, String username, String telematikId) {
        requireConfigured();
        SecretKey key = keys.get(sealed.keyId());
        if (key == null) {
            throw new IllegalStateException("TOTP secret is sealed with key id " + sealed.keyId() + ", which is not configured");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Base64.getDecoder().decode(sealed.iv())));
            cipher.updateAAD(aad(username, telematikId));
            return new String(cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext())), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("TOTP secret of an account cannot be decrypted");
        }
    }

    /** 503 {@code NOT_CONFIGURED} without keys. */
    public void ensureConfigured() {
        requireConfigured();
    }

    private String requireConfigured() {
        if (activeKeyId == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NOT_CONFIGURED",
                    "Org-Admin accounts are not available: TOTP encryption keys are not configured");
        }
        return activeKeyId;
    }

    private static byte[] aad(String username, String telematikId) {
        return ("tim-totp-v1|" + username + "|" + telematikId).getBytes(StandardCharsets.UTF_8);
    }
}

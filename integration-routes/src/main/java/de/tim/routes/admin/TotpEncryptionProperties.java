package de.tim.routes.admin;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Encryption of the Org-Admins' TOTP secrets at rest (AES-256-GCM).
 *
 * @param keys {@code <key id>:<base64 of 32 random bytes>}; the first entry encrypts, all entries decrypt (rotation:
 *             put a new key first and keep the old ones until every account has logged in once, which re-encrypts its
 *             secret with the first key). Never logged. Empty: onboarding and login answer 503 {@code NOT_CONFIGURED};
 *             with the Spring profile {@code production} the service does not start.
 */
@ConfigurationProperties(TotpEncryptionProperties.PREFIX)
public record TotpEncryptionProperties(@DefaultValue List<String> keys) {

    public static final String PREFIX = "tim.routes.admin.totp-encryption";

    @Override
    public String toString() {
        return "TotpEncryptionProperties[keys=" + keys.size() + " configured]";
    }
}

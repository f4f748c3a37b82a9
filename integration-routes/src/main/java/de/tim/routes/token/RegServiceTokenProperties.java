package de.tim.routes.token;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The RegService-OpenID-Token (I_requestToken).
 *
 * @param signerKeyStore         PKCS#12 with the C.FD.SIG key (brainpoolP256r1, role oid_tim) and its chain; unset or
 *                               missing: no tokens are issued (503 NOT_CONFIGURED)
 * @param signerKeyStorePassword its password; never logged
 * @param issuer                 {@code iss}: this registration service's URL
 * @param audience               {@code aud}: the VZD's owner-authenticate URL
 * @param lifetime               {@code exp - iat}
 */
@Validated
@ConfigurationProperties(RegServiceTokenProperties.PREFIX)
public record RegServiceTokenProperties(
        Path signerKeyStore,
        String signerKeyStorePassword,
        @NotBlank String issuer,
        @NotBlank String audience,
        @DefaultValue("5m") @NotNull Duration lifetime) {

    public static final String PREFIX = "tim.routes.token";

    @Override
    public String toString() {
        return "RegServiceTokenProperties[signerKeyStore=" + signerKeyStore + ", issuer=" + issuer + ", audience=" + audience + "]";
    }
}

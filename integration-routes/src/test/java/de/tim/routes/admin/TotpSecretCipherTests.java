package de.tim.routes.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import de.tim.routes.error.ApiException;

class TotpSecretCipherTests {

    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    private static TotpSecretCipher cipher(String... keys) {
        return new TotpSecretCipher(new TotpEncryptionProperties(List.of(keys)), new MockEnvironment());
    }

    @Test
    void sealsWithARandomIvAndTheKeyIdAndOpensForTheSameAccountOnly() {
        TotpSecretCipher cipher = cipher(K1);
        String secret = Totp.newSecret();
        TotpSecretCipher.Sealed a = cipher.seal(secret, "admin", "1-TID");
        TotpSecretCipher.Sealed b = cipher.seal(secret, "admin", "1-TID");
        assertThat(a.keyId()).isEqualTo("k1");
        assertThat(a.iv()).isNotEqualTo(b.iv());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext()).doesNotContain(secret);
        assertThat(cipher.open(a, "admin", "1-TID")).isEqualTo(secret);
        // copied to another account: refused (the account is associated data)
        assertThatThrownBy(() -> cipher.open(a, "other", "1-TID")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining(secret);
        TotpSecretCipher.Sealed tampered = new TotpSecretCipher.Sealed("k1", a.iv(), b.ciphertext());
        assertThatThrownBy(() -> cipher.open(tampered, "admin", "1-TID")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rotationKeepsOldKeysForReadingAndSealsWithTheFirst() {
        String secret = Totp.newSecret();
        TotpSecretCipher.Sealed old = cipher(K1).seal(secret, "admin", "1-TID");
        TotpSecretCipher rotated = cipher(K2, K1);
        assertThat(rotated.activeKeyId()).isEqualTo("k2");
        assertThat(rotated.open(old, "admin", "1-TID")).isEqualTo(secret);
        assertThat(rotated.seal(secret, "admin", "1-TID").keyId()).isEqualTo("k2");
        assertThatThrownBy(() -> cipher(K2).open(old, "admin", "1-TID")).hasMessageContaining("k1");
    }

    @Test
    void withoutKeysAdminAccountsAreUnavailableAndProductionDoesNotStart() {
        TotpSecretCipher none = cipher();
        assertThat(none.configured()).isFalse();
        assertThatThrownBy(() -> none.seal("X", "a", "b")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status().value()).isEqualTo(503));
        MockEnvironment production = new MockEnvironment();
        production.setActiveProfiles("production");
        assertThatThrownBy(() -> new TotpSecretCipher(new TotpEncryptionProperties(List.of()), production))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tim.routes.admin.totp-encryption.keys");
        assertThat(new TotpSecretCipher(new TotpEncryptionProperties(List.of(K1)), production).configured()).isTrue();
    }

    @Test
    void malformedKeysStopTheStartWithoutShowingThem() {
        assertThatThrownBy(() -> cipher("no-colon")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cipher("k:not base64!")).hasMessageContaining("base64").hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> cipher("k:" + Base64.getEncoder().encodeToString(new byte[16]))).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> cipher(K1, K1)).hasMessageContaining("repeats");
    }
}

package de.tim.routes.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TotpTests {

    /** RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last six digits. */
    @Test
    void matchesTheRfc6238TestVectors() {
        String secret = Totp.base32("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
        assertThat(Totp.code(secret, Totp.step(59))).isEqualTo("287082");
        assertThat(Totp.code(secret, Totp.step(1111111109))).isEqualTo("081804");
        assertThat(Totp.code(secret, Totp.step(1234567890))).isEqualTo("005924");
        assertThat(Totp.code(secret, Totp.step(2000000000))).isEqualTo("279037");
    }

    @Test
    void acceptsOneStepOfClockDriftAndNothingMalformed() {
        String secret = Totp.newSecret();
        long now = 1_700_000_000L;
        assertThat(Totp.matchingStep(secret, Totp.code(secret, Totp.step(now) - 1), now)).isEqualTo(Totp.step(now) - 1);
        assertThat(Totp.matchingStep(secret, Totp.code(secret, Totp.step(now) - 3), now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(secret, "12345", now)).isEqualTo(-1);
        assertThat(Totp.matchingStep(secret, null, now)).isEqualTo(-1);
    }
}

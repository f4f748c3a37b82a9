package de.tim.homeserver.sso;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SsoServiceTests {

    @Test
    void clientRedirectsMustMatchAtABoundary() {
        assertThat(SsoService.allowed("https://app.example", "https://app.example")).isTrue();
        assertThat(SsoService.allowed("https://app.example", "https://app.example/cb?x=1")).isTrue();
        assertThat(SsoService.allowed("https://app.example", "https://app.example?x")).isTrue();
        assertThat(SsoService.allowed("https://app.example", "https://app.example.evil/cb")).isFalse();
        assertThat(SsoService.allowed("https://app.example", "https://app.example@evil/cb")).isFalse();
        assertThat(SsoService.allowed("https://app.example/", "https://app.example/anything")).isTrue();
        assertThat(SsoService.allowed("https://app.example/cb", "https://app.example/cbx")).isFalse();
        assertThat(SsoService.allowed("im.app://", "im.app://login")).isTrue();
    }

    @Test
    void pkceChallengeMatchesRfc7636() {
        // RFC 7636 appendix B
        assertThat(SsoService.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}

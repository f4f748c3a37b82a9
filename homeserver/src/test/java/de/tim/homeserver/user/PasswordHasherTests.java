package de.tim.homeserver.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTests {

    private final PasswordHasher hasher = new PasswordHasher(new PasswordProperties(1024, 1, 1, null));

    @Test
    void hashesAreSaltedPhcStringsThatVerify() {
        String a = hasher.hash("geheim");
        String b = hasher.hash("geheim");
        assertThat(a).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").isNotEqualTo(b);
        assertThat(hasher.verify("geheim", a)).isTrue();
        assertThat(hasher.verify("geheim", b)).isTrue();
        assertThat(hasher.verify("Geheim", a)).isFalse();
        assertThat(hasher.verify("geheim", null)).isFalse();
        assertThat(hasher.verify("geheim", "$2b$12$notargon")).isFalse();
    }

    @Test
    void parametersTravelWithTheHash() {
        String strong = new PasswordHasher(new PasswordProperties(2048, 2, 1, null)).hash("pw");
        assertThat(hasher.verify("pw", strong)).isTrue();
    }
}

package de.tim.homeserver.user;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Password hashing (argon2id, PHC string format) and policy.
 *
 * @param argon2MemoryKib  argon2id memory cost in KiB (default 19456, the OWASP minimum)
 * @param argon2Iterations argon2id time cost (default 2)
 * @param argon2Parallelism argon2id lanes (default 1)
 * @param minimumLength    shortest password a user may choose through {@code /account/password} (default 8)
 */
@ConfigurationProperties(PasswordProperties.PREFIX)
public record PasswordProperties(Integer argon2MemoryKib, Integer argon2Iterations, Integer argon2Parallelism,
        Integer minimumLength) {

    public static final String PREFIX = "tim.homeserver.password";

    public PasswordProperties {
        argon2MemoryKib = argon2MemoryKib == null ? 19456 : argon2MemoryKib;
        argon2Iterations = argon2Iterations == null ? 2 : argon2Iterations;
        argon2Parallelism = argon2Parallelism == null ? 1 : argon2Parallelism;
        minimumLength = minimumLength == null ? 8 : minimumLength;
    }
}

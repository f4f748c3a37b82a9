package de.tim.homeserver.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.springframework.stereotype.Component;

/** argon2id password hashes in PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}). */
@Component
class PasswordHasher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HASH_BYTES = 32;

    private final PasswordProperties properties;
    private final String dummyHash;

    PasswordHasher(PasswordProperties properties) {
        this.properties = properties;
        this.dummyHash = hash("timing-equaliser-" + RANDOM.nextLong());
    }

    String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        int m = properties.argon2MemoryKib();
        int t = properties.argon2Iterations();
        int p = properties.argon2Parallelism();
        byte[] hash = derive(password, salt, m, t, p, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + m + ",t=" + t + ",p=" + p + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Verifies; a null stored hash costs the same time and fails. */
    boolean verify(String password, String stored) {
        if (stored == null) {
            verify(password, dummyHash);
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1])) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=");
            int value = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> {
                    return false;
                }
            }
        }
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] salt = b64.decode(parts[4]);
        byte[] expected = b64.decode(parts[5]);
        return MessageDigest.isEqual(expected, derive(password, salt, m, t, p, expected.length));
    }

    private static byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}

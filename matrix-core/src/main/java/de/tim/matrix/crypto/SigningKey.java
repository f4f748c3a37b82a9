package de.tim.matrix.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An ed25519 signing key of a server (or user): the 32-byte seed plus its key ID
 * {@code ed25519:<version>}. {@link #toString()} never prints the seed.
 */
public final class SigningKey {

    /** The only signing algorithm Matrix defines. */
    public static final String ALGORITHM = "ed25519";

    private final String version;
    private final Ed25519PrivateKeyParameters privateKey;
    private final VerifyKey verifyKey;

    private SigningKey(String version, byte[] seed) {
        this.version = checkVersion(version);
        if (seed.length != 32) {
            throw new IllegalArgumentException("An ed25519 seed has 32 bytes, got " + seed.length);
        }
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.verifyKey = new VerifyKey(keyId(), privateKey.generatePublicKey().getEncoded());
    }

    /** A key from its 32-byte seed. */
    public static SigningKey fromSeed(String version, byte[] seed) {
        return new SigningKey(version, seed);
    }

    /** A key from its seed in (unpadded) base64, the format Synapse stores signing keys in. */
    public static SigningKey fromBase64Seed(String version, String seedBase64) {
        return new SigningKey(version, UnpaddedBase64.decode(seedBase64));
    }

    /** A fresh random key. */
    public static SigningKey generate(String version) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return new SigningKey(version, seed);
    }

    static String checkVersion(String version) {
        Objects.requireNonNull(version, "version");
        if (!version.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("Key version must match [A-Za-z0-9_]+: " + version);
        }
        return version;
    }

    public String version() {
        return version;
    }

    /** {@code ed25519:<version>}. */
    public String keyId() {
        return ALGORITHM + ":" + version;
    }

    public VerifyKey verifyKey() {
        return verifyKey;
    }

    /** The seed, for persisting the key; handle with care. */
    public byte[] seed() {
        return privateKey.getEncoded();
    }

    /** Signs bytes, returning the 64-byte signature. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey other && version.equals(other.version)
                && Arrays.equals(verifyKey.publicKey(), other.verifyKey.publicKey());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(verifyKey.publicKey());
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId() + ", public=" + verifyKey.publicKeyBase64() + "]";
    }
}

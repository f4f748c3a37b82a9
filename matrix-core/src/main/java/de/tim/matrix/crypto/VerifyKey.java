package de.tim.matrix.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An ed25519 public key with its key ID, as published under {@code verify_keys}. */
public final class VerifyKey {

    private final String keyId;
    private final byte[] publicKey;

    public VerifyKey(String keyId, byte[] publicKey) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("An ed25519 public key has 32 bytes, got " + publicKey.length);
        }
        this.publicKey = publicKey.clone();
    }

    /** From {@code "ed25519:abc"} and the unpadded-base64 key. */
    public static VerifyKey fromBase64(String keyId, String publicKeyBase64) {
        return new VerifyKey(keyId, UnpaddedBase64.decode(publicKeyBase64));
    }

    public String keyId() {
        return keyId;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String publicKeyBase64() {
        return UnpaddedBase64.encode(publicKey);
    }

    /** Whether {@code signature} is a valid ed25519 signature of {@code message} by this key. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        Ed25519PublicKeyParameters params;
        try {
            params = new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, params);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyKey other && keyId.equals(other.keyId) && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * keyId.hashCode() + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "VerifyKey[" + keyId + "=" + publicKeyBase64() + "]";
    }
}

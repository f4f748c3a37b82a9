package de.tim.push.gateway;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Reads PKCS#8 PEM private keys (service-account keys, APNs {@code .p8} files). */
final class PemKeys {

    private PemKeys() {
    }

    static PrivateKey pkcs8(String pem, String algorithm) {
        String base64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // no key material in the message
            throw new IllegalStateException("not a PKCS#8 " + algorithm + " private key");
        }
    }
}

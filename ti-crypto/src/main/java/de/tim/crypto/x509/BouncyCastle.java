package de.tim.crypto.x509;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The BouncyCastle provider, registered once. The JDK cannot create or sign with brainpool keys. */
public final class BouncyCastle {

    private static final Provider PROVIDER;

    static {
        Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (existing == null) {
            existing = new BouncyCastleProvider();
            Security.addProvider(existing);
        }
        PROVIDER = existing;
    }

    private BouncyCastle() {
    }

    public static Provider provider() {
        return PROVIDER;
    }
}

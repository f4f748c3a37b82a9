package de.tim.crypto.x509;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate with its private key and the chain up to (and including) the root that issued it.
 *
 * @param keyPair     the subject's key pair
 * @param certificate the subject's certificate
 * @param issuerChain certificates from the issuer up to the root; empty for a self-signed root
 */
public record IssuedCertificate(KeyPair keyPair, X509Certificate certificate, List<X509Certificate> issuerChain) {

    public IssuedCertificate {
        issuerChain = List.copyOf(issuerChain);
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The certificate followed by its issuer chain, as a TLS server or an x5c header presents it. */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>(issuerChain.size() + 1);
        chain.add(certificate);
        chain.addAll(issuerChain);
        return chain;
    }

    /** The root at the end of the chain (the certificate itself for a root). */
    public X509Certificate root() {
        return issuerChain.isEmpty() ? certificate : issuerChain.getLast();
    }
}

package de.tim.crypto.x509;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * PKIX validation (on BouncyCastle, so brainpool chains work) of a certificate chain, leaf first, against a fixed set
 * of trust anchors. Revocation is not checked (there is no OCSP responder in the test PKI). Immutable, thread-safe.
 */
public final class CertificateChainValidator {

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> anchorCertificates;
    private final Clock clock;

    public CertificateChainValidator(List<X509Certificate> trustAnchors) {
        this(trustAnchors, Clock.systemUTC());
    }

    public CertificateChainValidator(List<X509Certificate> trustAnchors, Clock clock) {
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is needed");
        }
        Set<TrustAnchor> set = new LinkedHashSet<>();
        trustAnchors.forEach(c -> set.add(new TrustAnchor(c, null)));
        this.anchors = Set.copyOf(set);
        this.anchorCertificates = List.copyOf(trustAnchors);
        this.clock = clock;
    }

    public List<X509Certificate> trustAnchors() {
        return anchorCertificates;
    }

    /**
     * Validates {@code chain} (leaf first; may or may not end with the trust anchor itself).
     *
     * @return the leaf certificate
     */
    public X509Certificate validate(List<X509Certificate> chain) throws CertificateValidationException {
        if (chain.isEmpty()) {
            throw new CertificateValidationException("empty certificate chain");
        }
        List<X509Certificate> path = new ArrayList<>(chain);
        if (path.size() > 1 && anchorCertificates.contains(path.getLast())) {
            path.removeLast();
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
            CertPath certPath = factory.generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX", BouncyCastle.provider()).validate(certPath, parameters);
            return chain.getFirst();
        } catch (GeneralSecurityException e) {
            throw new CertificateValidationException("certificate chain does not validate: " + e.getMessage(), e);
        }
    }
}

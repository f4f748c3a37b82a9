package de.tim.crypto.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Parsing X.509 certificates with BouncyCastle (the JDK cannot handle brainpool public keys), from DER, PEM files
 * and PKCS#12 trust stores.
 */
public final class Certificates {

    private Certificates() {
    }

    public static X509Certificate fromDer(byte[] der) {
        try {
            return (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a DER X.509 certificate", e);
        }
    }

    /** All certificates of a PEM text (one or more {@code BEGIN CERTIFICATE} blocks). */
    public static List<X509Certificate> fromPem(String pem) {
        try {
            List<X509Certificate> result = new ArrayList<>();
            for (Certificate c : factory().generateCertificates(new ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
                result.add((X509Certificate) c);
            }
            return Collections.unmodifiableList(result);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate list", e);
        }
    }

    public static List<X509Certificate> readPem(Path file) {
        try {
            return fromPem(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The trusted certificate entries of a PKCS#12 trust store. */
    public static List<X509Certificate> readTrustStore(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12", BouncyCastle.provider());
            store.load(in, password);
            List<X509Certificate> result = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    result.add(fromDer(store.getCertificate(alias).getEncoded()));
                }
            }
            return List.copyOf(result);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read trust store " + file, e);
        }
    }

    private static CertificateFactory factory() throws CertificateException {
        return CertificateFactory.getInstance("X.509", BouncyCastle.provider());
    }
}

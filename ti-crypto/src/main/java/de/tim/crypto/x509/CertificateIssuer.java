package de.tim.crypto.x509;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates EC key pairs and X.509 certificates: self-signed roots, intermediate CAs, TLS server
 * certificates and signer certificates with extra extensions (e.g. the TI admission extension).
 */
public final class CertificateIssuer {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** ECDSA over SHA-256 works for every curve of {@link EcCurve}. */
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private CertificateIssuer() {
    }

    public static KeyPair generateKeyPair(EcCurve curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.provider());
            generator.initialize(new ECGenParameterSpec(curve.curveName()), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + curve + " key pair", e);
        }
    }

    /** A self-signed root CA. */
    public static IssuedCertificate selfSignedRoot(String subjectDn, EcCurve curve, Duration validity) {
        KeyPair keyPair = generateKeyPair(curve);
        X500Name subject = new X500Name(subjectDn);
        X509Certificate certificate = build(subject, keyPair, subject, keyPair, validity, builder -> {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
        return new IssuedCertificate(keyPair, certificate, List.of());
    }

    /** An intermediate CA issued by {@code issuer}. */
    public static IssuedCertificate intermediate(IssuedCertificate issuer, String subjectDn, EcCurve curve, Duration validity) {
        KeyPair keyPair = generateKeyPair(curve);
        X509Certificate certificate = build(new X500Name(subjectDn), keyPair, issuerName(issuer), issuer.keyPair(),
                validity, builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                });
        return new IssuedCertificate(keyPair, certificate, issuer.chain());
    }

    /** A TLS server certificate for the given DNS names and IP addresses. */
    public static IssuedCertificate tlsServer(IssuedCertificate issuer, String commonName, List<String> dnsNames,
                                              List<String> ipAddresses, EcCurve curve, Duration validity) {
        KeyPair keyPair = generateKeyPair(curve);
        List<ASN1Encodable> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        X509Certificate certificate = build(new X500Name("CN=" + commonName), keyPair, issuerName(issuer),
                issuer.keyPair(), validity, builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    builder.addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                    builder.addExtension(Extension.subjectAlternativeName, false, new DERSequence(names.toArray(ASN1Encodable[]::new)));
                });
        return new IssuedCertificate(keyPair, certificate, issuer.chain());
    }

    /**
     * An end-entity signer certificate (digitalSignature) with additional non-critical extensions, e.g. the
     * TI admission extension carrying a role OID.
     */
    public static IssuedCertificate signer(IssuedCertificate issuer, String subjectDn, EcCurve curve, Duration validity,
                                           List<Extension> extraExtensions) {
        KeyPair keyPair = generateKeyPair(curve);
        X509Certificate certificate = build(new X500Name(subjectDn), keyPair, issuerName(issuer), issuer.keyPair(),
                validity, builder -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    for (Extension extension : extraExtensions) {
                        builder.addExtension(extension);
                    }
                });
        return new IssuedCertificate(keyPair, certificate, issuer.chain());
    }

    private static X500Name issuerName(IssuedCertificate issuer) {
        return X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    }

    @FunctionalInterface
    private interface Extensions {
        void add(X509v3CertificateBuilder builder) throws java.io.IOException, GeneralSecurityException;
    }

    private static X509Certificate build(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
                                         Duration validity, Extensions extensions) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
                    subject, subjectKeys.getPublic());
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            extensions.add(builder);
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
                    .setProvider(BouncyCastle.provider()).build(issuerKeys.getPrivate());
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.provider()).getCertificate(holder);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + subject, e);
        }
    }
}

package de.tim.gateway.federation;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.crypto.x509.BouncyCastle;
import de.tim.crypto.x509.Certificates;

/**
 * The content of the ROOT-CA download point's {@code roots.json}: an array of root versions in chronological
 * order, each with its self-signed certificate ({@code cert}) and the cross certificates linking it to the
 * previous and the next root version ({@code prev}, {@code next}; base64 DER, empty when there is none).
 * {@link #crossCertified} decides which roots may be trusted: a root is accepted only if it is a valid
 * self-signed CA certificate and a cross certificate for its subject and key is signed by a root trusted
 * already (or accepted in this pass, so a chain of new versions is followed).
 */
final class TrustRootList {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<X509Certificate> roots;
    private final List<X509Certificate> crossCertificates;

    private TrustRootList(List<X509Certificate> roots, List<X509Certificate> crossCertificates) {
        this.roots = roots;
        this.crossCertificates = crossCertificates;
    }

    /** Parses {@code roots.json}; the array may also come wrapped in an object (as in the spec's example). */
    static TrustRootList parse(byte[] json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("roots.json is not JSON");
        }
        if (node != null && node.isObject()) {
            JsonNode array = null;
            for (JsonNode value : node) {
                if (value.isArray()) {
                    array = value;
                }
            }
            node = array;
        }
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("roots.json holds no list of root certificates");
        }
        List<X509Certificate> roots = new ArrayList<>();
        List<X509Certificate> cross = new ArrayList<>();
        for (JsonNode entry : node) {
            X509Certificate root = certificate(entry, "cert");
            if (root == null) {
                throw new IllegalArgumentException("a roots.json entry has no cert");
            }
            roots.add(root);
            X509Certificate prev = certificate(entry, "prev");
            X509Certificate next = certificate(entry, "next");
            if (prev != null) {
                cross.add(prev);
            }
            if (next != null) {
                cross.add(next);
            }
        }
        return new TrustRootList(List.copyOf(roots), List.copyOf(cross));
    }

    private static X509Certificate certificate(JsonNode entry, String field) {
        JsonNode value = entry.path(field);
        if (value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("roots.json field " + field + " is not a string");
        }
        try {
            return Certificates.fromDer(Base64.getMimeDecoder().decode(value.asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("roots.json field " + field + " is not a base64 DER certificate");
        }
    }

    List<X509Certificate> roots() {
        return roots;
    }

    /** The outcome of one decision: roots newly accepted, and valid roots that could not be accepted. */
    record Decision(List<X509Certificate> accepted, List<X509Certificate> rejected) {
    }

    /** Which of the listed roots, not trusted yet, are cross-certified by a trusted root (transitively). */
    Decision crossCertified(List<X509Certificate> trusted, Instant now) {
        List<X509Certificate> trust = new ArrayList<>(trusted);
        List<X509Certificate> accepted = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (X509Certificate root : roots) {
                if (trust.contains(root) || !validSelfSignedCa(root, now)) {
                    continue;
                }
                if (certifiedBy(root, trust, now)) {
                    trust.add(root);
                    accepted.add(root);
                    progress = true;
                }
            }
        }
        List<X509Certificate> rejected = new ArrayList<>();
        for (X509Certificate root : roots) {
            if (!trust.contains(root) && validSelfSignedCa(root, now)) {
                rejected.add(root);
            }
        }
        return new Decision(List.copyOf(accepted), List.copyOf(rejected));
    }

    private boolean certifiedBy(X509Certificate root, List<X509Certificate> trust, Instant now) {
        for (X509Certificate cross : crossCertificates) {
            if (!cross.getSubjectX500Principal().equals(root.getSubjectX500Principal())
                    || !java.util.Arrays.equals(cross.getPublicKey().getEncoded(), root.getPublicKey().getEncoded())
                    || cross.getBasicConstraints() < 0 || !validAt(cross, now)) {
                continue;
            }
            for (X509Certificate anchor : trust) {
                if (cross.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())
                        && signedWith(cross, anchor)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean validSelfSignedCa(X509Certificate root, Instant now) {
        return root.getBasicConstraints() >= 0 && validAt(root, now)
                && root.getIssuerX500Principal().equals(root.getSubjectX500Principal()) && signedWith(root, root);
    }

    private static boolean validAt(X509Certificate certificate, Instant now) {
        try {
            certificate.checkValidity(Date.from(now));
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean signedWith(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey(), BouncyCastle.provider());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

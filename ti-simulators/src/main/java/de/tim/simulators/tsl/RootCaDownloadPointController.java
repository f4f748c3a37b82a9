package de.tim.simulators.tsl;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The TSL service's ROOT-CA download point ([ROOT-CA-JSON] in gemSpec_TI-Messenger-FD,
 * {@code https://download.tsl.ti-dienste.de/ECC/ROOT-CA/roots.json}): a JSON array, oldest version first, of
 * {@code {name, CN, cert, prev, next, SKI}} with base64 DER certificates ("" where there is no cross
 * certificate) and the subject key identifier in hex. An operator control publishes a new root version.
 */
@RestController
public class RootCaDownloadPointController {

    private final RootCaVersions versions;

    public RootCaDownloadPointController(RootCaVersions versions) {
        this.versions = versions;
    }

    /** {@code GET /ECC/ROOT-CA/roots.json} */
    @GetMapping(path = "/ECC/ROOT-CA/roots.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, String>> roots() {
        List<Map<String, String>> entries = new ArrayList<>();
        for (RootCaVersions.Version version : versions.versions()) {
            X509Certificate root = version.root().certificate();
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("name", version.name());
            entry.put("CN", commonName(root));
            entry.put("cert", base64(root));
            entry.put("prev", version.prev() == null ? "" : base64(version.prev()));
            entry.put("next", version.next() == null ? "" : base64(version.next()));
            entry.put("SKI", subjectKeyIdentifier(root));
            entries.add(entry);
        }
        return entries;
    }

    /** {@code POST /control/root-ca/next-version}: a new root version, cross-certified with the newest one. */
    @PostMapping(path = "/control/root-ca/next-version", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, String> publishNextVersion() {
        RootCaVersions.Version added = versions.publishNextVersion();
        return Map.of("name", added.name(), "CN", commonName(added.root().certificate()));
    }

    private static String base64(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String commonName(X509Certificate certificate) {
        for (String part : certificate.getSubjectX500Principal().getName().split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return certificate.getSubjectX500Principal().getName();
    }

    private static String subjectKeyIdentifier(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return "";
        }
        byte[] ski = ASN1OctetString.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getOctets();
        return HexFormat.of().withUpperCase().formatHex(ski);
    }
}

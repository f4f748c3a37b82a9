package de.tim.crypto.x509;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.isismtt.ISISMTTObjectIdentifiers;
import org.bouncycastle.asn1.isismtt.x509.AdmissionSyntax;
import org.bouncycastle.asn1.isismtt.x509.Admissions;
import org.bouncycastle.asn1.isismtt.x509.ProfessionInfo;
import org.bouncycastle.asn1.x500.DirectoryString;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The TI admission extension (Common PKI {@code id-isismtt-at-admission}, 1.3.36.8.3.3) that carries the role
 * (ProfessionOID / technical role) of a TI certificate, gemSpec_PKI.
 */
public final class TiAdmission {

    /** OID of the admission extension. */
    public static final ASN1ObjectIdentifier ADMISSION = ISISMTTObjectIdentifiers.id_isismtt_at_admission;
    /**
     * Technical role {@code oid_tim} (TI-Messenger), the role of a registration service's C.FD.SIG. The TI-Messenger and
     * VZD specifications name only the symbol; this value (the TIM ProfessionOID of VZD_FHIR_Directory-Spec-Changes)
     * is an assumption until gemSpec_OID is at hand — take it from configuration where it matters.
     */
    public static final String OID_TIM = "1.2.276.0.76.4.295";

    private TiAdmission() {
    }

    /** A non-critical admission extension with one profession item and the given role OIDs. */
    public static Extension extension(String professionItem, String... roleOids) {
        ASN1ObjectIdentifier[] oids = java.util.Arrays.stream(roleOids).map(ASN1ObjectIdentifier::new)
                .toArray(ASN1ObjectIdentifier[]::new);
        ProfessionInfo info = new ProfessionInfo(null, new DirectoryString[] {new DirectoryString(professionItem)},
                oids, null, null);
        Admissions admissions = new Admissions(null, null, new ProfessionInfo[] {info});
        AdmissionSyntax syntax = new AdmissionSyntax(null, new DERSequence(admissions));
        try {
            return new Extension(ADMISSION, false, syntax.getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The role OIDs in the certificate's admission extension; empty when it has none. */
    public static List<String> roleOids(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(ADMISSION.getId());
        if (value == null) {
            return List.of();
        }
        try {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(value).getOctets());
            AdmissionSyntax syntax = AdmissionSyntax.getInstance(inner);
            List<String> result = new ArrayList<>();
            for (Admissions admissions : syntax.getContentsOfAdmissions()) {
                for (ProfessionInfo info : admissions.getProfessionInfos()) {
                    ASN1ObjectIdentifier[] oids = info.getProfessionOIDs();
                    if (oids != null) {
                        for (ASN1ObjectIdentifier oid : oids) {
                            result.add(oid.getId());
                        }
                    }
                }
            }
            return List.copyOf(result);
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Whether the certificate carries {@code roleOid} in its admission extension. */
    public static boolean hasRole(X509Certificate certificate, String roleOid) {
        return roleOids(certificate).contains(roleOid);
    }
}

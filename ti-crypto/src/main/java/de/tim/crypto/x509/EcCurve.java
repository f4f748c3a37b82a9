package de.tim.crypto.x509;

/** The elliptic curves of the TI PKI and of ordinary TLS. */
public enum EcCurve {
    /** brainpoolP256r1, the curve of TI certificates and BP256R1 signatures. */
    BRAINPOOL_P256R1("brainpoolP256r1"),
    /** NIST P-256 (secp256r1), for ES256 and for TLS towards ordinary clients. */
    P256("secp256r1");

    private final String curveName;
    EcCurve(String curveName) {
        this.curveName = curveName;
    }

    public String curveName() {
        return curveName;
    }
}

package de.tim.simulators.pki;

/** File names of the test PKI inside {@code <data-dir>/pki}. */
public final class PkiFiles {

    /** Both root certificates (brainpoolP256r1 and P-256) as PEM: the trust anchors for every TI signature. */
    public static final String ROOTS_PEM = "ti-roots.pem";
    /** Both root certificates as PKCS#12 trust store (password {@code tim.simulators.store-password}). */
    public static final String ROOTS_P12 = "ti-truststore.p12";
    /** Key and chain of the registration service's C.FD.SIG-like signer (oid_tim), for signing RegService-OpenID-Tokens. */
    public static final String REGSERVICE_SIGNER_P12 = "regservice-signer-bp256.p12";

    private PkiFiles() {
    }
}

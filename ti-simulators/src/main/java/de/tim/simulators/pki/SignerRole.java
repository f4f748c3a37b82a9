package de.tim.simulators.pki;

import de.tim.crypto.x509.EcCurve;

/** The signer certificates of the test PKI. */
public enum SignerRole {
    FEDERATION_LIST_BP256("federation-list-bp256", EcCurve.BRAINPOOL_P256R1, "CN=VZD FederationList Signer BP256,O=gematik TEST-ONLY"),
    FEDERATION_LIST_P256("federation-list-p256", EcCurve.P256, "CN=VZD FederationList Signer P256,O=gematik TEST-ONLY"),
    VZD_TOKEN("vzd-token-p256", EcCurve.P256, "CN=VZD Auth-Service Token Signer,O=gematik TEST-ONLY"),
    IDP_BP256("idp-bp256", EcCurve.BRAINPOOL_P256R1, "CN=IDP Sig BP256,O=gematik TEST-ONLY"),
    IDP_P256("idp-p256", EcCurve.P256, "CN=IDP Sig P256,O=gematik TEST-ONLY"),
    /** C.FD.SIG-like certificate of a registration service, technical role oid_tim. */
    REGSERVICE("regservice-signer-bp256", EcCurve.BRAINPOOL_P256R1, "CN=TI-Messenger Registrierungs-Dienst,O=TIM Provider TEST-ONLY");

    private final String fileName;
    private final EcCurve curve;
    private final String subject;

    SignerRole(String fileName, EcCurve curve, String subject) {
        this.fileName = fileName;
        this.curve = curve;
        this.subject = subject;
    }

    public String fileName() {
        return fileName;
    }

    public EcCurve curve() {
        return curve;
    }

    public String subject() {
        return subject;
    }
}

package de.tim.simulators.vzd.auth;

/** The access tokens of the VZD-FHIR-Directory, told apart by issuer and audience paths below the base URL. */
public enum TokenKind {
    /** OAuth ti-provider-accesstoken (client credentials), exchanged at /ti-provider-authenticate. */
    TI_PROVIDER("/auth/realms/TI-Provider", "/ti-provider-authenticate"),
    /** provider-accesstoken for /tim-provider-services. */
    PROVIDER("/ti-provider-authenticate", "/tim-provider-services"),
    /** search-accesstoken for /search. */
    SEARCH("/tim-authenticate", "/search"),
    /** owner-accesstoken for /owner. */
    OWNER("/owner-authenticate", "/owner");

    private final String issuerPath;
    private final String audiencePath;

    TokenKind(String issuerPath, String audiencePath) {
        this.issuerPath = issuerPath;
        this.audiencePath = audiencePath;
    }

    public String issuerPath() {
        return issuerPath;
    }

    public String audiencePath() {
        return audiencePath;
    }
}

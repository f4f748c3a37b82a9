package de.tim.simulators.idp;

/**
 * A test smartcard identity the IDP can authenticate.
 *
 * @param id               chosen with {@code login_hint} at /idp/authorize
 * @param cardType         {@code SMC-B} (institution) or {@code HBA} (practitioner)
 * @param telematikId      the {@code idNummer}
 * @param professionOid    institution ProfessionOID (SMC-B) or practitioner ProfessionOID (HBA)
 * @param givenName        HBA: given name
 * @param familyName       HBA: family name
 * @param organizationName SMC-B: the institution's name
 */
public record SmartcardIdentity(String id, String cardType, String telematikId, String professionOid,
                                String givenName, String familyName, String organizationName) {

    public boolean isHba() {
        return "HBA".equalsIgnoreCase(cardType);
    }
}

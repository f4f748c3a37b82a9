package de.tim.simulators.pki;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import de.tim.crypto.x509.TiAdmission;

/**
 * The test PKI.
 *
 * @param caValidity     validity of the root CAs and intermediates created at start
 * @param signerValidity validity of the signer certificates created at start
 * @param regServiceTelematikId telematikID put into the registration service's C.FD.SIG-like certificate
 * @param regServiceRoleOid     role OID ("oid_tim") in that certificate's admission extension, and the role
 *                              /owner-authenticate requires; the specs at hand name only the symbol oid_tim
 */
@ConfigurationProperties(PkiProperties.PREFIX)
public record PkiProperties(
        @DefaultValue("3650d") Duration caValidity,
        @DefaultValue("730d") Duration signerValidity,
        @DefaultValue("9-2.58.00000040") String regServiceTelematikId,
        @DefaultValue(TiAdmission.OID_TIM) String regServiceRoleOid) {

    public static final String PREFIX = "tim.simulators.pki";
}

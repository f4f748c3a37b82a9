package de.tim.simulators.pki;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The test PKI.
 *
 * @param caValidity     validity of the root CAs and intermediates created at start
 * @param signerValidity validity of the signer certificates created at start
 * @param regServiceTelematikId telematikID put into the registration service's C.FD.SIG-like certificate
 */
@ConfigurationProperties(PkiProperties.PREFIX)
public record PkiProperties(
        @DefaultValue("3650d") Duration caValidity,
        @DefaultValue("730d") Duration signerValidity,
        @DefaultValue("9-2.58.00000040") String regServiceTelematikId) {

    public static final String PREFIX = "tim.simulators.pki";
}

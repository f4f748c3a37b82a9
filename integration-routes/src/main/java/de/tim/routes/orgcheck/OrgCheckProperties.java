package de.tim.routes.orgcheck;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Organisation verification (AF_10103).
 *
 * @param idpIssuer          expected {@code iss} of ID_TOKENs (the central IDP)
 * @param idpClientId        this service's client_id at the IDP: the expected {@code aud}
 * @param idpTrustAnchors    PEM files with the TI roots the ID_TOKEN's x5c chain must end in
 * @param nonceLifetime      how long a nonce handed out for an IDP authentication may be used (once)
 * @param institutionOids    the data file with the institution ProfessionOIDs (Spring resource location)
 * @param kimLinkLifetime    validity of a KIM confirmation link (AF_10103 method 2)
 * @param kimConfirmationUrl the link sent by KIM; {@code {token}} is replaced by the one-time token
 * @param kimResendInterval  least time between two links to the same KIM address while the earlier one is usable
 */
@Validated
@ConfigurationProperties(OrgCheckProperties.PREFIX)
public record OrgCheckProperties(
        @NotBlank String idpIssuer,
        @DefaultValue("tim-registration-service") @NotBlank String idpClientId,
        @DefaultValue List<Path> idpTrustAnchors,
        @DefaultValue("10m") @NotNull Duration nonceLifetime,
        @DefaultValue("classpath:orgcheck/institution-profession-oids.txt") @NotBlank String institutionOids,
        @DefaultValue("24h") @NotNull Duration kimLinkLifetime,
        @NotBlank String kimConfirmationUrl,
        @DefaultValue("60s") @NotNull Duration kimResendInterval) {

    public static final String PREFIX = "tim.routes.orgcheck";
}

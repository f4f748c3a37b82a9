package de.tim.routes.provisioning;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Messenger-Service provisioning (AF_10060). The homeserver admin URI is the Camel placeholder
 * {@code tim.routes.provisioning.homeserver-domains-uri}.
 *
 * @param homeserverSecret         bearer provisioning secret of the homeserver's {@code /_tim/admin/v1/domains}; never
 *                                 logged; unset: provisioning answers 503 NOT_CONFIGURED
 * @param homeserverProxySecret    the homeserver's {@code tim.homeserver.proxy-secret}, sent as {@code X-Tim-Proxy-Auth}:
 *                                 the homeserver accepts requests only from its gateways and holders of that secret;
 *                                 never logged
 * @param clientUrlTemplate        the client URL of a new service; {@code {domain}} is replaced
 * @param allowedDomainSuffixes    domains must end in one of these (e.g. {@code .tim.local}); empty: any
 * @param maxServicesPerOrganisation most Messenger-Services one organisation may order
 * @param recoveryAfter            an unfinished provisioning older than this is rolled back by the recovery route
 * @param recoveryInterval         how often the recovery route looks for unfinished provisionings
 */
@Validated
@ConfigurationProperties(ProvisioningProperties.PREFIX)
public record ProvisioningProperties(
        String homeserverSecret,
        String homeserverProxySecret,
        @DefaultValue("https://{domain}") @NotBlank String clientUrlTemplate,
        @DefaultValue List<String> allowedDomainSuffixes,
        @DefaultValue("10") @Min(1) int maxServicesPerOrganisation,
        @DefaultValue("5m") @NotNull Duration recoveryAfter,
        @DefaultValue("1m") @NotNull Duration recoveryInterval) {

    public static final String PREFIX = "tim.routes.provisioning";

    @Override
    public String toString() {
        return "ProvisioningProperties[homeserverSecret=***, homeserverProxySecret=***, clientUrlTemplate=" + clientUrlTemplate + "]";
    }
}

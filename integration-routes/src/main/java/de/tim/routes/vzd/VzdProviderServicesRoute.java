package de.tim.routes.vzd;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Read operations of I_VZD_TIM_Provider_Services: getFederationList ({@code ?version=}) and whereIs. The caller
 * ({@link VzdClient}) sets {@code Authorization} and {@code CamelHttpQuery}.
 */
@Component
public class VzdProviderServicesRoute extends RouteBuilder {

    @Override
    public void configure() {
        from(VzdRoutes.FEDERATION_LIST).routeId("vzd-federation-list").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader(Exchange.HTTP_PATH, constant("/FederationList/federationList.jws"))
                .setHeader("Accept", constant("application/octet-stream, application/jose, application/json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd.provider-services-uri}}").id("vzd-federation-list-call")
                .convertBodyTo(String.class);

        from(VzdRoutes.WHERE_IS).routeId("vzd-where-is").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader(Exchange.HTTP_PATH, constant("/localization"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd.provider-services-uri}}").id("vzd-where-is-call")
                .convertBodyTo(String.class);

        from(VzdRoutes.FEDERATION_CHECK).routeId("vzd-federation-check").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader(Exchange.HTTP_PATH, constant("/federationCheck"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd.provider-services-uri}}").id("vzd-federation-check-call")
                .convertBodyTo(String.class);

        // addTiMessengerDomain is not idempotent: no redelivery (a lost answer is resolved by the caller's rollback)
        from(VzdRoutes.ADD_DOMAIN).routeId("vzd-add-domain")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.HTTP_PATH, constant("/federation"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Accept", constant("application/json"))
                .to("{{tim.routes.vzd.provider-services-uri}}").id("vzd-add-domain-call")
                .convertBodyTo(String.class);

        // deleteTiMessengerDomain is idempotent (a repeated delete answers 404, which the caller accepts)
        from(VzdRoutes.DELETE_DOMAIN).routeId("vzd-delete-domain").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("DELETE"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd.provider-services-uri}}").id("vzd-delete-domain-call")
                .convertBodyTo(String.class);
    }
}

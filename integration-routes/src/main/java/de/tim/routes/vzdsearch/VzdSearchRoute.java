package de.tim.routes.vzdsearch;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import de.tim.routes.vzd.VzdRoutes;

/**
 * The calls behind a directory search, all idempotent reads (redelivered by {@code vzd-idempotent}):
 * {@code matrix-openid-token} (POST .../openid/request_token at the provider's homeserver; a repeated request only
 * issues another short-lived token), {@code vzd-tim-authenticate} and {@code vzd-search}. Callers set
 * {@code Authorization}/{@code X-Matrix-OpenID-Token}, {@code CamelHttpPath} and {@code CamelHttpQuery}.
 */
@Component
public class VzdSearchRoute extends RouteBuilder {

    static final String OPENID_TOKEN = "direct:matrix-openid-token";
    static final String TIM_AUTHENTICATE = "direct:vzd-tim-authenticate";
    static final String SEARCH = "direct:vzd-search";

    @Override
    public void configure() {
        from(OPENID_TOKEN).routeId("matrix-openid-token").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant("{}"))
                // preserveHostHeader: the Host header names the service account's domain (Camel drops it otherwise)
                .to("{{tim.routes.vzd-search.homeserver-uri}}?preserveHostHeader=true").id("matrix-openid-token-call")
                .convertBodyTo(String.class);

        from(TIM_AUTHENTICATE).routeId("vzd-tim-authenticate").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd-search.tim-authenticate-uri}}").id("vzd-tim-authenticate-call")
                .convertBodyTo(String.class);

        from(SEARCH).routeId("vzd-search").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/fhir+json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd-search.search-uri}}").id("vzd-search-call")
                .convertBodyTo(String.class);
    }
}

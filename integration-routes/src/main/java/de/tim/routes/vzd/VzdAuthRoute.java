package de.tim.routes.vzd;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Transport of the two token steps: the OAuth client credentials grant at the VZD OAuth service and
 * {@code /ti-provider-authenticate} at the Auth-Service. {@link ProviderTokens} builds the requests and caches the
 * answers. Both calls only issue tokens, so they are retried like idempotent calls.
 */
@Component
public class VzdAuthRoute extends RouteBuilder {

    @Override
    public void configure() {
        from(VzdRoutes.OAUTH_TOKEN).routeId("vzd-oauth-token").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/x-www-form-urlencoded"))
                .setHeader("Accept", constant("application/json"))
                .to("{{tim.routes.vzd.oauth-token-uri}}").id("vzd-oauth-token-call")
                .convertBodyTo(String.class);

        from(VzdRoutes.PROVIDER_AUTHENTICATE).routeId("vzd-provider-authenticate").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd.provider-authenticate-uri}}").id("vzd-provider-authenticate-call")
                .convertBodyTo(String.class);
    }
}

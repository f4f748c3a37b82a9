package de.tim.routes.provisioning;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Creates a domain on the homeserver ({@code POST /_tim/admin/v1/domains}, body {@code {"server_name",
 * "public_base_url"}}). Not retried: creating is not idempotent, and a failure is rolled back by the caller.
 */
@Component
public class HomeserverDomainsRoute extends RouteBuilder {

    static final String CREATE = "direct:homeserver-create-domain";

    @Override
    public void configure() {
        from(CREATE).routeId("homeserver-create-domain")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Accept", constant("application/json"))
                .to("{{tim.routes.provisioning.homeserver-domains-uri}}").id("homeserver-create-domain-call")
                .convertBodyTo(String.class);
    }
}

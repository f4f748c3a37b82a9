package de.tim.routes.vzdowner;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import de.tim.routes.vzd.VzdRoutes;

/**
 * VZD owner operations (AF_10059): {@code /owner-authenticate} with a RegService-OpenID-Token, and FHIR create, update,
 * delete and search on {@code {{tim.routes.vzd.owner-fhir-uri}}} through Camel FHIR (R4) with the owner-accesstoken
 * (header {@code TimOwnerToken}; endpoints are not cached, so no token outlives its call in an endpoint URI).
 */
@Component
public class VzdOwnerRoute extends RouteBuilder {

    static final String AUTHENTICATE = "direct:vzd-owner-authenticate";
    static final String CREATE = "direct:vzd-owner-create";
    static final String UPDATE = "direct:vzd-owner-update";
    static final String DELETE = "direct:vzd-owner-delete";
    static final String SEARCH = "direct:vzd-owner-search";

    private static final String FHIR = "fhir://%s?serverUrl={{tim.routes.vzd.owner-fhir-uri}}&fhirVersion=R4"
            + "&fhirContext=#timFhirContext&accessToken=${header.TimOwnerToken}&encoding=JSON&validationMode=NEVER"
            + "&lazyStartProducer=true";

    private final String timeouts;

    public VzdOwnerRoute(de.tim.routes.vzd.VzdProperties properties) {
        this.timeouts = "&connectionTimeout=" + properties.connectTimeout().toMillis()
                + "&socketTimeout=" + properties.responseTimeout().toMillis();
    }

    @Override
    public void configure() {
        from(AUTHENTICATE).routeId("vzd-owner-authenticate").routeConfigurationId(VzdRoutes.IDEMPOTENT)
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .setHeader("Accept", constant("application/json"))
                .setBody(constant((Object) null))
                .to("{{tim.routes.vzd.owner-authenticate-uri}}").id("vzd-owner-authenticate-call")
                .convertBodyTo(String.class);

        // The FHIR routes use no error handler: Camel FHIR's failure messages include its endpoint options, among
        // them the owner-accesstoken, so nothing here may log them. VzdOwnerService maps the failure (no retries:
        // FHIR failures are 4xx decisions of the directory or need a new token).
        from(CREATE).routeId("vzd-owner-create").errorHandler(noErrorHandler())
                .toD(String.format(FHIR, "create/resource") + "&inBody=resource" + timeouts, -1).id("vzd-owner-create-call");

        from(UPDATE).routeId("vzd-owner-update").errorHandler(noErrorHandler())
                .toD(String.format(FHIR, "update/resource") + "&inBody=resource" + timeouts, -1).id("vzd-owner-update-call");

        from(DELETE).routeId("vzd-owner-delete").errorHandler(noErrorHandler())
                .toD(String.format(FHIR, "delete/resourceById") + "&inBody=id" + timeouts, -1).id("vzd-owner-delete-call");

        from(SEARCH).routeId("vzd-owner-search").errorHandler(noErrorHandler())
                .toD(String.format(FHIR, "search/searchByUrl") + "&inBody=url" + timeouts, -1).id("vzd-owner-search-call");
    }
}

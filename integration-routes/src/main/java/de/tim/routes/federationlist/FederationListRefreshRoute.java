package de.tim.routes.federationlist;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Fetches the federation list from the VZD at start and then every {@code refresh-interval} (Quartz, one run at a
 * time). A failing VZD is logged as an alert; the stored list stays in use.
 */
@Component
public class FederationListRefreshRoute extends RouteBuilder {

    private final FederationListProperties properties;
    private final FederationListService service;

    public FederationListRefreshRoute(FederationListProperties properties, FederationListService service) {
        this.properties = properties;
        this.service = service;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .log(org.apache.camel.LoggingLevel.ERROR, "ALERT: federation list refresh failed: ${exception.message}");

        from("quartz:tim-routes/federation-list-refresh?stateful=true&trigger.repeatCount=-1&trigger.repeatInterval="
                + properties.refreshInterval().toMillis())
                .routeId("federation-list-refresh")
                .bean(service, "refresh").id("federation-list-refresh-call");
    }
}

package de.tim.routes.orgactive;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Runs the {@code Organization.active} check every {@code check-interval} (Quartz; 24 h by default). */
@Component
public class OrganizationActiveCheckRoute extends RouteBuilder {

    private final OrganizationActiveProperties properties;
    private final OrganizationActiveService service;

    public OrganizationActiveCheckRoute(OrganizationActiveProperties properties, OrganizationActiveService service) {
        this.properties = properties;
        this.service = service;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "ALERT: Organization.active check failed: ${exception.message}");

        from("quartz:tim-routes/organization-active-check?stateful=true&trigger.repeatCount=-1&trigger.repeatInterval="
                + properties.checkInterval().toMillis())
                .routeId("organization-active-check")
                .bean(service, "checkAll()").id("organization-active-check-call");
    }
}

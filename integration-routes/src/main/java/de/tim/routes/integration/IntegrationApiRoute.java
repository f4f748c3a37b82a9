package de.tim.routes.integration;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import de.tim.routes.vzd.VzdClient;

/**
 * Inbound extension point: endpoints integrator routes (PVS/KIS) may call. {@code direct:tim-where-is}: body an MXID
 * ({@code @local:domain}) → body the directory part ({@code org}, {@code pract}, {@code orgPract}, {@code none}).
 */
@Component
public class IntegrationApiRoute extends RouteBuilder {

    public static final String WHERE_IS = "direct:tim-where-is";

    private final VzdClient vzd;

    public IntegrationApiRoute(VzdClient vzd) {
        this.vzd = vzd;
    }

    @Override
    public void configure() {
        from(WHERE_IS).routeId("integration-where-is")
                .convertBodyTo(String.class)
                .bean(vzd, "whereIs(${body.trim()})").id("integration-where-is-call")
                .convertBodyTo(String.class);
    }
}

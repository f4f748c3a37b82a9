package de.tim.routes.provisioning;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Rolls back provisionings that an earlier run left unfinished (Quartz, every {@code recovery-interval}). */
@Component
public class ProvisioningRecoveryRoute extends RouteBuilder {

    private final ProvisioningProperties properties;
    private final ProvisioningService service;

    public ProvisioningRecoveryRoute(ProvisioningProperties properties, ProvisioningService service) {
        this.properties = properties;
        this.service = service;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "provisioning recovery failed: ${exception.message}");

        from("quartz:tim-routes/provisioning-recovery?stateful=true&trigger.repeatCount=-1&trigger.repeatInterval="
                + properties.recoveryInterval().toMillis())
                .routeId("provisioning-recovery")
                .bean(service, "recoverUnfinished").id("provisioning-recovery-call");
    }
}

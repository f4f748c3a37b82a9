package de.tim.routes.deadletter;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code route-dead-letters}: the error policies send exchanges here after their last redelivery; the publisher turns
 * them into {@code integration-routes-dlt} records. No route configuration (a failing dead letter is not redelivered).
 */
@Component
public class DeadLetterRoute extends RouteBuilder {

    public static final String URI = "direct:route-dead-letters";

    private final DeadLetterPublisher publisher;

    public DeadLetterRoute(DeadLetterPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void configure() {
        from(URI).routeId("route-dead-letters")
                .bean(publisher, "publish").id("route-dead-letters-publish");
    }
}

package de.tim.routes.orgactive;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Sends a plain-text KIM mail over SMTP (camel-mail). The caller sets {@code To} and {@code Subject} headers and the
 * text as body. Not redelivered by Camel: the daily check repeats a notification that did not go out.
 */
@Component
public class KimNotificationRoute extends RouteBuilder {

    static final String SEND = "direct:kim-notify";

    private final OrganizationActiveProperties properties;

    public KimNotificationRoute(OrganizationActiveProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from(SEND).routeId("kim-notify")
                .setHeader("From", constant(properties.mailFrom()))
                .setHeader("Content-Type", constant("text/plain; charset=UTF-8"))
                .to("{{tim.routes.org-active.smtp-uri}}").id("kim-notify-send");
    }
}

package de.tim.routes.orgcheck;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Sends the KIM confirmation mail of AF_10103 method 2 over SMTP (camel-mail, the same KIM mail server as
 * {@code kim-notify} unless {@code tim.routes.orgcheck.kim-smtp-uri} says otherwise). The caller sets {@code To},
 * {@code Subject} and the text. Not redelivered: sending is not
 * idempotent for the recipient, and the Org-Admin can ask for a new link.
 */
@Component
public class KimConfirmationRoute extends RouteBuilder {

    static final String SEND = "direct:kim-confirmation";

    @Override
    public void configure() {
        from(SEND).routeId("kim-confirmation")
                .setHeader("From", simple("{{tim.routes.org-active.mail-from}}"))
                .setHeader("Content-Type", constant("text/plain; charset=UTF-8"))
                .to("{{tim.routes.orgcheck.kim-smtp-uri}}").id("kim-confirmation-send");
    }
}

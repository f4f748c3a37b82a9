package de.tim.routes.vzd;

import de.tim.routes.deadletter.DeadLetterRoute;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;

/**
 * Error policy {@value VzdRoutes#IDEMPOTENT} for idempotent VZD calls: I/O errors (refused, reset, timeout), 5xx and
 * 429 answers are retried with exponential backoff; everything else (4xx) fails at once. After the last retry the
 * exchange goes to the dead-letter route ({@code integration-routes-dlt}) and, not handled, the exception still reaches
 * the caller, which turns it into a clear error state. Non-idempotent calls have no policy: they are not redelivered and
 * their callers roll back, so there is nothing to replay.
 */
@Component
public class VzdErrorConfiguration extends RouteConfigurationBuilder {

    private final VzdProperties properties;

    public VzdErrorConfiguration(VzdProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configuration() {
        routeConfiguration(VzdRoutes.IDEMPOTENT)
                .onException(IOException.class)
                    .maximumRedeliveries(properties.maxRedeliveries())
                    .redeliveryDelay(properties.redeliveryDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logStackTrace(false).logExhaustedMessageHistory(false)
                    .handled(false)
                    .to(DeadLetterRoute.URI).id("vzd-idempotent-io-dead-letter")
                .end()
                .onException(HttpOperationFailedException.class)
                    .onWhen(VzdErrorConfiguration::transientStatus)
                    .maximumRedeliveries(properties.maxRedeliveries())
                    .redeliveryDelay(properties.redeliveryDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logStackTrace(false).logExhaustedMessageHistory(false)
                    .handled(false)
                    .to(DeadLetterRoute.URI).id("vzd-idempotent-http-dead-letter")
                .end();
    }

    static boolean transientStatus(Exchange exchange) {
        Throwable caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught instanceof HttpOperationFailedException failed) {
            int status = failed.getStatusCode();
            return status >= 500 || status == 429;
        }
        return false;
    }
}

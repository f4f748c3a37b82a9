package de.tim.routes.vzd;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import de.tim.routes.deadletter.DeadLetterRoute;

/**
 * Error policy {@value VzdRoutes#IDEMPOTENT} for idempotent VZD calls: I/O errors (refused, reset, timeout), 5xx and
 * 429 answers are retried with exponential backoff; everything else (4xx) fails at once. After the last retry the
 * exchange goes to the dead-letter route ({@code integration-routes-dlt}) and, not handled, the exception still reaches
 * the caller, which turns it into a clear error state. Non-idempotent calls have no policy: they are not redelivered and
 * their callers roll back, so there is nothing to replay.
 *
 * <p>Camel's own retry and exhaustion log lines are switched off for these routes: they name the endpoint URI with its
 * query, which carries MXIDs and KIM addresses (A_22813). Retries are logged here with route id, failure type and status
 * only; exhaustion by the dead-letter route ({@code ALERT …}).
 */
@Component
public class VzdErrorConfiguration extends RouteConfigurationBuilder {

    private static final Logger log = LoggerFactory.getLogger(VzdErrorConfiguration.class);

    private final VzdProperties properties;

    public VzdErrorConfiguration(VzdProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configuration() {
        routeConfiguration(VzdRoutes.IDEMPOTENT)
                .errorHandler(defaultErrorHandler().logExhausted(false).logRetryAttempted(false).logStackTrace(false))
                .onException(IOException.class)
                    .maximumRedeliveries(properties.maxRedeliveries())
                    .redeliveryDelay(properties.redeliveryDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false).logExhaustedMessageHistory(false)
                    .onRedelivery(VzdErrorConfiguration::logRetry)
                    .handled(false)
                    .to(DeadLetterRoute.URI).id("vzd-idempotent-io-dead-letter")
                .end()
                .onException(HttpOperationFailedException.class)
                    .onWhen(VzdErrorConfiguration::transientStatus)
                    .maximumRedeliveries(properties.maxRedeliveries())
                    .redeliveryDelay(properties.redeliveryDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .logRetryAttempted(false).logExhausted(false).logStackTrace(false).logExhaustedMessageHistory(false)
                    .onRedelivery(VzdErrorConfiguration::logRetry)
                    .handled(false)
                    .to(DeadLetterRoute.URI).id("vzd-idempotent-http-dead-letter")
                .end();
    }

    private static void logRetry(Exchange exchange) {
        Throwable caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.warn("call of route {} failed ({}{}), retry {}", exchange.getFromRouteId(),
                caught == null ? "unknown" : caught.getClass().getSimpleName(),
                caught instanceof HttpOperationFailedException failed ? " " + failed.getStatusCode() : "",
                exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER));
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

package de.tim.routes.deadletter;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * Dead letters of the Camel routes (topic {@code integration-routes-dlt} of {@code kafka-topics}).
 *
 * @param enabled              publish dead letters; off: exhausted calls are only logged
 * @param maxBlock             longest time publishing may wait for the broker (metadata, buffer); then the dead letter
 *                             is logged as lost instead of holding the calling thread
 * @param replayQueryParameters query parameters carried in dead letters because they are needed for a replay and hold
 *                             no personal data; a query with any other parameter is left out ({@code queryRedacted})
 */
@Validated
@ConfigurationProperties(DeadLetterProperties.PREFIX)
public record DeadLetterProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("2s") @NotNull Duration maxBlock,
        @DefaultValue({"version", "mxId"}) List<String> replayQueryParameters) {

    public static final String PREFIX = "tim.routes.dead-letters";
}

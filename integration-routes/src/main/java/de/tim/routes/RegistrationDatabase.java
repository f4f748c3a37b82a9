package de.tim.routes;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The MongoDB database holding the registration service's data ({@code spring.data.mongodb.uri} selects the server).
 *
 * @param database database name
 */
@Validated
@ConfigurationProperties(RegistrationDatabase.PREFIX)
public record RegistrationDatabase(@DefaultValue("tim_registration") @NotBlank String database) {

    public static final String PREFIX = "tim.routes.mongodb";
}

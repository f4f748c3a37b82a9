package de.tim.routes.intern;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * I_internVerification, the interface between the Messenger-Proxies and this service.
 *
 * @param tokens        bearer tokens of the proxies, one per gateway (at least 32 characters each); empty: every
 *                      request is refused
 * @param whereIsCacheTtl how long a whereIs answer per MXID is reused for stage-3 decisions
 * @param whereIsCacheSize most MXIDs kept in that cache
 */
@Validated
@ConfigurationProperties(InternVerificationProperties.PREFIX)
public record InternVerificationProperties(
        @DefaultValue List<String> tokens,
        @DefaultValue("60s") @NotNull Duration whereIsCacheTtl,
        @DefaultValue("10000") int whereIsCacheSize) {

    public static final String PREFIX = "tim.routes.intern-verification";

    public InternVerificationProperties {
        for (String token : tokens) {
            if (token == null || token.length() < 32) {
                throw new IllegalArgumentException(PREFIX + ".tokens: every token needs at least 32 characters");
            }
        }
    }

    @Override
    public String toString() {
        return "InternVerificationProperties[tokens=" + tokens.size() + " configured, whereIsCacheTtl=" + whereIsCacheTtl + "]";
    }
}

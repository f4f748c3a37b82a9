package de.tim.routes.hoster;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hoster's operator API ({@code /hoster/**}).
 *
 * @param tokens bearer tokens of the hoster's operators (at least 32 characters each); empty: every request is refused
 */
@ConfigurationProperties(HosterProperties.PREFIX)
public record HosterProperties(@DefaultValue List<String> tokens) {

    public static final String PREFIX = "tim.routes.hoster";

    public HosterProperties {
        for (String token : tokens) {
            if (token == null || token.length() < 32) {
                throw new IllegalArgumentException(PREFIX + ".tokens: every token needs at least 32 characters");
            }
        }
    }

    @Override
    public String toString() {
        return "HosterProperties[tokens=" + tokens.size() + " configured]";
    }
}

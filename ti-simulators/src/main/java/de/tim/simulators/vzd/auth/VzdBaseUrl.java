package de.tim.simulators.vzd.auth;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import de.tim.simulators.vzd.VzdProperties;

/** The public base URL of the directory: configured, or the context URL of the current request. */
@Component
public class VzdBaseUrl {

    private final String configured;

    public VzdBaseUrl(VzdProperties properties) {
        this.configured = StringUtils.hasText(properties.baseUrl()) ? strip(properties.baseUrl()) : null;
    }

    public String current() {
        return configured != null ? configured : strip(ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

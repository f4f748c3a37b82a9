package de.tim.homeserver.http;

import jakarta.servlet.http.HttpServletRequest;

/** The caller's IP address: the socket peer, or the first {@code X-Forwarded-For} entry when trusted. */
public record ClientAddress(String ip) {

    public static ClientAddress of(HttpServletRequest request, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return new ClientAddress(forwarded.split(",")[0].trim());
            }
        }
        return new ClientAddress(request.getRemoteAddr());
    }
}

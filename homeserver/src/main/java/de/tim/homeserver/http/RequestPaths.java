package de.tim.homeserver.http;

import jakarta.servlet.http.HttpServletRequest;

/** The path a request is dispatched on: decoded and normalised by the container (never the raw URI). */
public final class RequestPaths {

    private RequestPaths() {
    }

    public static String of(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}

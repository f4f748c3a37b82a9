package de.tim.gateway.listener;

import org.springframework.web.servlet.function.RequestPredicate;

/**
 * Tells the listeners apart, so Client-Server routes answer only on the client listener and
 * Server-Server routes only on the federation listener.
 */
public final class ListenerPredicates {

    private final FederationListener federation;

    ListenerPredicates(FederationListener federation) {
        this.federation = federation;
    }

    public RequestPredicate clientListener() {
        return request -> federation == null || request.servletRequest().getLocalPort() != federation.localPort();
    }

    /** For controllers: whether the request came in on the federation listener. */
    public boolean isFederationListener(jakarta.servlet.http.HttpServletRequest request) {
        return federation != null && request.getLocalPort() == federation.localPort();
    }

    public RequestPredicate federationListener() {
        return request -> federation != null && request.servletRequest().getLocalPort() == federation.localPort();
    }
}

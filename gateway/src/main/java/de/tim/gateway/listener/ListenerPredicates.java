package de.tim.gateway.listener;

import org.springframework.web.servlet.function.RequestPredicate;

/**
 * Tells the listeners apart, so Client-Server routes answer only on the client listener and
 * Server-Server routes only on the federation listener.
 */
public final class ListenerPredicates {

    private final FederationListener federation;
    private final EgressListener egress;

    ListenerPredicates(FederationListener federation, EgressListener egress) {
        this.federation = federation;
        this.egress = egress;
    }

    public RequestPredicate clientListener() {
        return request -> !isFederationListener(request.servletRequest()) && !isEgressListener(request.servletRequest());
    }

    public RequestPredicate egressListener() {
        return request -> isEgressListener(request.servletRequest());
    }

    /** For controllers: whether the request came in on the client listener. */
    public boolean isClientListener(jakarta.servlet.http.HttpServletRequest request) {
        return !isFederationListener(request) && !isEgressListener(request);
    }

    public boolean isEgressListener(jakarta.servlet.http.HttpServletRequest request) {
        return egress != null && request.getLocalPort() == egress.localPort();
    }

    /** For controllers: whether the request came in on the federation listener. */
    public boolean isFederationListener(jakarta.servlet.http.HttpServletRequest request) {
        return federation != null && request.getLocalPort() == federation.localPort();
    }

    public RequestPredicate federationListener() {
        return request -> federation != null && request.servletRequest().getLocalPort() == federation.localPort();
    }
}

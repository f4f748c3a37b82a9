package de.tim.homeserver.domain;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Binds a request to its domain by {@code Host} (or {@code X-Forwarded-Host} when trusted). */
public class DomainArgumentResolver implements HandlerMethodArgumentResolver {

    private static final String ATTRIBUTE = Domain.class.getName();

    private final DomainRegistry registry;
    private final boolean trustForwardedHost;

    public DomainArgumentResolver(DomainRegistry registry, boolean trustForwardedHost) {
        this.registry = registry;
        this.trustForwardedHost = trustForwardedHost;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Domain.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        return resolve(webRequest.getNativeRequest(HttpServletRequest.class));
    }

    /** The request's domain, resolved once per request. */
    public Domain resolve(HttpServletRequest request) {
        Object cached = request.getAttribute(ATTRIBUTE);
        if (cached instanceof Domain domain) {
            return domain;
        }
        String host = null;
        if (trustForwardedHost) {
            String forwarded = request.getHeader("X-Forwarded-Host");
            if (forwarded != null && !forwarded.isBlank()) {
                host = forwarded.split(",")[0].trim();
            }
        }
        if (host == null) {
            host = request.getHeader("Host");
        }
        Domain domain = registry.resolveHost(host);
        request.setAttribute(ATTRIBUTE, domain);
        return domain;
    }
}

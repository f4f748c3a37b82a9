package de.tim.homeserver.auth;

import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainArgumentResolver;
import de.tim.homeserver.http.ClientAddress;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Authenticates {@link Requester} parameters from {@code Authorization: Bearer} or the deprecated
 * {@code access_token} query parameter, within the request's domain only.
 */
public class RequesterArgumentResolver implements HandlerMethodArgumentResolver {

    private final DomainArgumentResolver domains;
    private final TokenService tokens;
    private final DeviceService devices;
    private final boolean trustForwardedFor;

    public RequesterArgumentResolver(DomainArgumentResolver domains, TokenService tokens, DeviceService devices,
            boolean trustForwardedFor) {
        this.domains = domains;
        this.tokens = tokens;
        this.devices = devices;
        this.trustForwardedFor = trustForwardedFor;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Requester.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        String token = accessToken(request);
        if (token == null) {
            if (parameter.hasParameterAnnotation(OptionalAuth.class)) {
                return null;
            }
            throw MatrixException.missingToken();
        }
        Domain domain = domains.resolve(request);
        TokenService.Authenticated auth = tokens.authenticate(domain, token);
        if (auth.touchDue()) {
            devices.touch(domain, auth.userId(), auth.deviceId(), ClientAddress.of(request, trustForwardedFor).ip());
        }
        return new Requester(domain, auth.userId(), auth.deviceId(), auth.tokenHash());
    }

    /** The presented access token, or null. */
    public static String accessToken(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header != null) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7) && header.length() > 7) {
                return header.substring(7).trim();
            }
            throw MatrixException.missingToken();
        }
        String param = request.getParameter("access_token");
        return param == null || param.isEmpty() ? null : param;
    }
}

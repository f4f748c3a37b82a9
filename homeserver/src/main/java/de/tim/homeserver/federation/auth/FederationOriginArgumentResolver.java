package de.tim.homeserver.federation.auth;

import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Injects the {@link FederationOrigin} the {@link FederationAuthFilter} verified. */
final class FederationOriginArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == FederationOrigin.class;
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Object origin = webRequest.getNativeRequest(HttpServletRequest.class).getAttribute(FederationOrigin.ATTRIBUTE);
        if (origin instanceof FederationOrigin o) {
            return o;
        }
        throw new MatrixException(401, MatrixErrorCodes.M_UNAUTHORIZED, "Request is not X-Matrix authenticated");
    }
}

package de.tim.homeserver.api.client.login;

import java.net.URI;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.sso.SsoService;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Client login via SSO", and the OIDC provider's redirect back. */
@RestController
public class SsoEndpoints {

    private final SsoService sso;

    SsoEndpoints(SsoService sso) {
        this.sso = sso;
    }

    /** {@code GET /_matrix/client/v3/login/sso/redirect} */
    @GetMapping("/_matrix/client/v3/login/sso/redirect")
    ResponseEntity<Void> redirect(Domain domain, @RequestParam(required = false) String redirectUrl) {
        return found(sso.start(domain, null, redirectUrl));
    }

    /** {@code GET /_matrix/client/v3/login/sso/redirect/{idpId}} */
    @GetMapping("/_matrix/client/v3/login/sso/redirect/{idpId}")
    ResponseEntity<Void> redirectToIdp(Domain domain, @PathVariable String idpId,
            @RequestParam(required = false) String redirectUrl) {
        return found(sso.start(domain, idpId, redirectUrl));
    }

    /** The page that ends a UIA fallback (spec "Fallback": notify the opener, then the client retries). */
    private static final String AUTH_DONE_PAGE = """
            <!DOCTYPE html>
            <html><head><title>Authentication complete</title><script>
            if (window.onAuthDone) { window.onAuthDone(); }
            else if (window.opener && window.opener.postMessage) { window.opener.postMessage("authDone", "*"); }
            </script></head><body><p>Thank you. You may now close this window and return to the application.</p></body></html>
            """;

    /** {@code GET /_synapse/client/oidc/callback}: the provider's redirect with code and state. */
    @GetMapping(SsoService.CALLBACK_PATH)
    ResponseEntity<?> callback(Domain domain, @RequestParam(required = false) String state,
            @RequestParam(required = false) String code, @RequestParam(required = false) String error) {
        SsoService.CallbackResult result = sso.callback(domain, state, code, error);
        if (result.uiaCompleted()) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(AUTH_DONE_PAGE);
        }
        return found(result.clientRedirect());
    }

    /** {@code GET /_matrix/client/v3/auth/m.login.sso/fallback/web}: UIA re-authentication at the provider. */
    @GetMapping("/_matrix/client/v3/auth/m.login.sso/fallback/web")
    ResponseEntity<Void> uiaFallback(Domain domain, @RequestParam(required = false) String session) {
        return found(sso.startUiaFallback(domain, session));
    }

    private static ResponseEntity<Void> found(URI location) {
        return ResponseEntity.status(HttpStatus.FOUND).location(location).build();
    }
}

package de.tim.homeserver.api.client.register;

import java.util.Map;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.http.ClientAddress;
import de.tim.homeserver.http.HttpProperties;
import de.tim.homeserver.registration.RegistrationService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Account registration". Open registration is off by default: in TI-M accounts come from the organisation. */
@RestController
public class RegisterEndpoints {

    private final RegistrationService registration;
    private final HttpProperties http;

    RegisterEndpoints(RegistrationService registration, HttpProperties http) {
        this.registration = registration;
        this.http = http;
    }

    /** {@code POST /_matrix/client/v3/register}: 403 M_FORBIDDEN unless registration is enabled. */
    @PostMapping("/_matrix/client/v3/register")
    Map<String, Object> register(Domain domain, @RequestParam(required = false) String kind,
            @RequestBody RegistrationService.RegisterRequest request, HttpServletRequest servlet) {
        return registration.register(domain, kind, request, ClientAddress.of(servlet, http.trustForwardedFor()).ip());
    }

    /** {@code GET /_matrix/client/v1/register/m.login.registration_token/validity} */
    @GetMapping("/_matrix/client/v1/register/m.login.registration_token/validity")
    Map<String, Object> tokenValidity(Domain domain, @RequestParam(required = false) String token, HttpServletRequest servlet) {
        return Map.of("valid", registration.registrationTokenValid(domain, token,
                ClientAddress.of(servlet, http.trustForwardedFor()).ip()));
    }

    /** {@code GET /_matrix/client/v3/register/available} */
    @GetMapping("/_matrix/client/v3/register/available")
    Map<String, Object> available(Domain domain, @RequestParam(required = false) String username, HttpServletRequest servlet) {
        return Map.of("available", registration.available(domain, username,
                ClientAddress.of(servlet, http.trustForwardedFor()).ip()));
    }
}

package de.tim.homeserver.api.admin;

import java.util.Map;

import de.tim.homeserver.auth.LoginResult;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.registration.RegistrationService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Synapse's shared-secret registration ({@code /_synapse/admin/v1/register}). */
@RestController
public class SharedSecretRegisterEndpoints {

    private final RegistrationService registration;

    SharedSecretRegisterEndpoints(RegistrationService registration) {
        this.registration = registration;
    }

    /** {@code GET /_synapse/admin/v1/register} */
    @GetMapping("/_synapse/admin/v1/register")
    Map<String, Object> nonce(Domain domain) {
        return Map.of("nonce", registration.nonce(domain));
    }

    /** {@code POST /_synapse/admin/v1/register} */
    @PostMapping("/_synapse/admin/v1/register")
    LoginResult register(Domain domain, @RequestBody RegistrationService.SharedSecretRequest request) {
        return registration.registerWithSharedSecret(domain, request);
    }
}

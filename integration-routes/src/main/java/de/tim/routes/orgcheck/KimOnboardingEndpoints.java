package de.tim.routes.orgcheck;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import de.tim.routes.error.ApiException;

/** AF_10103 method 2 (KIM confirmation link) of the admin portal's REST API. */
@RestController
@RequestMapping(path = "/registration/v1/onboarding/kim", produces = MediaType.APPLICATION_JSON_VALUE)
public class KimOnboardingEndpoints {

    /** Body of POST /onboarding/kim. */
    public record LinkRequest(String kimAddress) {
    }

    /** Body of POST /onboarding/kim/confirm. */
    public record Confirmation(String token, String username, String password) {
    }

    private final KimOnboardingService kim;

    public KimOnboardingEndpoints(KimOnboardingService kim) {
        this.kim = kim;
    }

    /** POST /registration/v1/onboarding/kim: send a confirmation link to the organisation's KIM address. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> request(@RequestBody(required = false) LinkRequest body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON body with kimAddress is required");
        }
        KimOnboardingService.Requested requested = kim.requestLink(body.kimAddress());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(Map.of("kimAddress", requested.kimAddress(), "expiresIn", requested.expiresIn()));
    }

    /** GET /registration/v1/onboarding/kim/confirm?token=: what the link stands for (does not use it up). */
    @GetMapping("/confirm")
    public Map<String, Object> inspect(@RequestParam(name = "token", required = false) String token) {
        KimOnboardingService.Pending pending = kim.inspect(token);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("telematikId", pending.telematikId());
        if (pending.organisationName() != null) {
            answer.put("organisationName", pending.organisationName());
        }
        answer.put("expiresAt", pending.expiresAt().toString());
        return answer;
    }

    /** POST /registration/v1/onboarding/kim/confirm: confirm the link and create the initial admin account. */
    @PostMapping(path = "/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> confirm(@RequestBody(required = false) Confirmation body) {
        if (body == null) {
            throw ApiException.badRequest("a JSON body with token, username and password is required");
        }
        OnboardingService.Onboarded done = kim.confirm(body.token(), body.username(), body.password());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("telematikId", done.telematikId());
        answer.put("professionOid", done.professionOid());
        if (done.reactivated()) {
            answer.put("reactivated", true);
            return ResponseEntity.ok(answer);
        }
        answer.put("username", done.admin().username());
        answer.put("totpSecret", done.admin().totpSecret());
        answer.put("otpauthUri", done.admin().otpauthUri());
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }
}

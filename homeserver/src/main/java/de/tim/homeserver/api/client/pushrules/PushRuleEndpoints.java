package de.tim.homeserver.api.client.pushrules;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.pushrules.PushRuleService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Push Rules: API". Only the {@code global} scope exists. */
@RestController
public class PushRuleEndpoints {

    private static final String BASE = "/_matrix/client/v3/pushrules";

    private final PushRuleService rules;

    PushRuleEndpoints(PushRuleService rules) {
        this.rules = rules;
    }

    /** {@code GET /_matrix/client/v3/pushrules/} */
    @GetMapping({BASE, BASE + "/"})
    Map<String, Object> all(Requester requester) {
        return Map.of("global", rules.ruleset(requester.domain(), requester.userId()));
    }

    /** {@code GET /_matrix/client/v3/pushrules/global/} */
    @GetMapping({BASE + "/{scope}", BASE + "/{scope}/"})
    JsonNode scope(Requester requester, @PathVariable String scope) {
        requireGlobal(scope);
        return rules.ruleset(requester.domain(), requester.userId());
    }

    /** {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}} */
    @GetMapping(BASE + "/{scope}/{kind}/{ruleId}")
    JsonNode get(Requester requester, @PathVariable String scope, @PathVariable String kind, @PathVariable String ruleId) {
        requireGlobal(scope);
        return rules.rule(requester.domain(), requester.userId(), kind, ruleId)
                .orElseThrow(() -> MatrixException.notFound("Unknown push rule"));
    }

    /** {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}} */
    @PutMapping(BASE + "/{scope}/{kind}/{ruleId}")
    Map<String, Object> put(Requester requester, @PathVariable String scope, @PathVariable String kind,
            @PathVariable String ruleId, @RequestParam(required = false) String before,
            @RequestParam(required = false) String after, @RequestBody JsonNode body) {
        requireGlobal(scope);
        rules.put(requester.domain(), requester.userId(), kind, ruleId, body, before, after);
        return Map.of();
    }

    /** {@code DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId}} */
    @DeleteMapping(BASE + "/{scope}/{kind}/{ruleId}")
    Map<String, Object> delete(Requester requester, @PathVariable String scope, @PathVariable String kind,
            @PathVariable String ruleId) {
        requireGlobal(scope);
        rules.delete(requester.domain(), requester.userId(), kind, ruleId);
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled} */
    @GetMapping(BASE + "/{scope}/{kind}/{ruleId}/enabled")
    Map<String, Object> enabled(Requester requester, @PathVariable String scope, @PathVariable String kind,
            @PathVariable String ruleId) {
        return Map.of("enabled", get(requester, scope, kind, ruleId).path("enabled").asBoolean());
    }

    record EnabledRequest(Boolean enabled) {
    }

    /** {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled} */
    @PutMapping(BASE + "/{scope}/{kind}/{ruleId}/enabled")
    Map<String, Object> setEnabled(Requester requester, @PathVariable String scope, @PathVariable String kind,
            @PathVariable String ruleId, @RequestBody EnabledRequest request) {
        requireGlobal(scope);
        if (request.enabled() == null) {
            throw MatrixException.badJson("Missing enabled");
        }
        rules.setEnabled(requester.domain(), requester.userId(), kind, ruleId, request.enabled());
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions} */
    @GetMapping(BASE + "/{scope}/{kind}/{ruleId}/actions")
    Map<String, Object> actions(Requester requester, @PathVariable String scope, @PathVariable String kind,
            @PathVariable String ruleId) {
        return Map.of("actions", get(requester, scope, kind, ruleId).path("actions"));
    }

    /** {@code PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions} */
    @PutMapping(BASE + "/{scope}/{kind}/{ruleId}/actions")
    Map<String, Object> setActions(Requester requester, @PathVariable String scope, @PathVariable String kind,
            @PathVariable String ruleId, @RequestBody JsonNode body) {
        requireGlobal(scope);
        rules.setActions(requester.domain(), requester.userId(), kind, ruleId, body.get("actions"));
        return Map.of();
    }

    private static void requireGlobal(String scope) {
        if (!"global".equals(scope)) {
            throw MatrixException.invalidParam("Unknown push rule scope: " + scope);
        }
    }
}

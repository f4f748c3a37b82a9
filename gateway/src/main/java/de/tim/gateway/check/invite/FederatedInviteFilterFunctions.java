package de.tim.gateway.check.invite;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.gateway.check.federation.XMatrixFilterFunctions;
import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.gateway.route.AllowListFilterFunctions;
import de.tim.gateway.route.InspectedBody;
import de.tim.gateway.route.MatrixEndpoints;
import de.tim.matrix.crypto.XMatrixAuthorization;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Stages 1–3 on every Server-Server route to an invite: {@code /invite} v1 and v2, and invite PDUs
 * for our users inside {@code /send} transactions (a transaction carrying a refused invite is refused
 * whole, so nothing of it reaches the homeserver). Third-party invite exchanges are refused.
 */
public final class FederatedInviteFilterFunctions {

    private FederatedInviteFilterFunctions() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> stagesOneToThree(FederatedInvitePolicy policy,
                                                                                        int maxBody, MeterRegistry meters) {
        return (request, next) -> {
            Object match = request.attributes().get(AllowListFilterFunctions.MATCH_ATTRIBUTE);
            Object auth = request.attributes().get(XMatrixFilterFunctions.AUTHORIZATION_ATTRIBUTE);
            if (!(match instanceof MatrixEndpoints.Found found) || !(auth instanceof XMatrixAuthorization authorization)) {
                return next.handle(request);
            }
            String operation = found.endpoint().operation();
            if (operation.equals("exchangeThirdPartyInvite") || operation.equals("onBindThirdPartyIdentifier")) {
                return refuse(meters, operation, "third-party-invite", MatrixException.forbidden("Third-party invites are not supported"));
            }
            if (!operation.equals("sendInviteV1") && !operation.equals("sendInviteV2") && !operation.equals("sendTransaction")) {
                return next.handle(request);
            }
            byte[] body;
            JsonNode json;
            try {
                body = InspectedBody.read(request, maxBody);
                json = StrictJson.parseObject(new String(body, StandardCharsets.UTF_8));
            } catch (MatrixException e) {
                return refuse(meters, operation, "body-too-large", e);
            } catch (InvalidJsonException e) {
                return refuse(meters, operation, "bad-json", MatrixException.notJson("The body must be a JSON object without duplicate keys"));
            }
            InviteDecision decision = switch (operation) {
                case "sendInviteV1" -> policy.decide(json, authorization.origin());
                case "sendInviteV2" -> policy.decide(json.get("event"), authorization.origin());
                default -> transaction(policy, json, authorization);
            };
            meters.counter("tim.gateway.permission.decisions", "stage", stage(decision), "operation", operation,
                    "outcome", decision.allowed() ? "allowed" : "denied", "reason", decision.reason()).increment();
            if (!decision.allowed()) {
                return MatrixErrorResponses.response(decision.refusal());
            }
            return next.handle(InspectedBody.replay(request, body));
        };
    }

    private static InviteDecision transaction(FederatedInvitePolicy policy, JsonNode json, XMatrixAuthorization authorization) {
        JsonNode pdus = json.get("pdus");
        if (pdus == null || !pdus.isArray()) {
            return InviteDecision.badRequest("bad-transaction", MatrixException.badJson("pdus must be a list"));
        }
        InviteDecision result = new InviteDecision(null, "no-invite");
        for (JsonNode pdu : pdus) {
            if (policy.isInviteOfOwnUser(pdu)) {
                InviteDecision decision = policy.decide(pdu, authorization.origin());
                if (!decision.allowed()) {
                    return decision;
                }
                result = decision;
            }
        }
        return result;
    }

    private static String stage(InviteDecision decision) {
        return switch (decision.reason()) {
            case "contact-list" -> "2";
            case "directory", "not-permitted" -> "3";
            default -> "1";
        };
    }

    private static ServerResponse refuse(MeterRegistry meters, String operation, String reason, MatrixException e) {
        meters.counter("tim.gateway.permission.decisions", "stage", "1", "operation", operation,
                "outcome", "denied", "reason", reason).increment();
        return MatrixErrorResponses.response(e);
    }
}

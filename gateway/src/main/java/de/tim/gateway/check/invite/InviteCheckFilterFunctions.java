package de.tim.gateway.check.invite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.gateway.error.MatrixErrorResponses;
import de.tim.gateway.route.AllowListFilterFunctions;
import de.tim.gateway.route.InspectedBody;
import de.tim.gateway.route.MatrixEndpoints;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Stage 1 on every Client-Server path that can invite someone or make the homeserver contact another
 * server: createRoom, invite, membership state, join and knock. Runs after the allow-list filter, which
 * identified the endpoint. Inspected bodies are parsed strictly (duplicate keys refused, so the gateway
 * and the homeserver cannot read different values) and forwarded byte for byte.
 */
public final class InviteCheckFilterFunctions {

    private InviteCheckFilterFunctions() {
    }

    public static HandlerFilterFunction<ServerResponse, ServerResponse> stageOne(InvitePolicy policy, int maxBody,
                                                                                MeterRegistry meters) {
        return (request, next) -> {
            Object match = request.attributes().get(AllowListFilterFunctions.MATCH_ATTRIBUTE);
            if (!(match instanceof MatrixEndpoints.Found found)) {
                return next.handle(request);
            }
            String operation = found.endpoint().operation();
            if (!inspected(operation)) {
                return next.handle(request);
            }
            byte[] body;
            try {
                body = InspectedBody.read(request, maxBody);
            } catch (MatrixException e) {
                return refuse(meters, operation, "body-too-large", e);
            }
            JsonNode json = null;
            if (body.length > 0) {
                try {
                    json = StrictJson.parseObject(new String(body, StandardCharsets.UTF_8));
                } catch (InvalidJsonException e) {
                    return refuse(meters, operation, "bad-json",
                            MatrixException.notJson("The body must be a JSON object without duplicate keys"));
                }
            } else if (requiresBody(operation)) {
                return refuse(meters, operation, "missing-body", MatrixException.notJson("A JSON body is required"));
            }
            InviteDecision decision = decide(policy, operation, found.params(), json, request);
            meters.counter("tim.gateway.permission.decisions", "stage", "1", "operation", operation,
                    "outcome", decision.allowed() ? "allowed" : "denied", "reason", decision.reason()).increment();
            if (!decision.allowed()) {
                return MatrixErrorResponses.response(decision.refusal());
            }
            return next.handle(InspectedBody.replay(request, body));
        };
    }

    private static boolean inspected(String operation) {
        return switch (operation) {
            case "createRoom", "inviteUser", "setRoomStateWithKey", "joinRoom", "joinRoomById", "knockRoom" -> true;
            default -> false;
        };
    }

    private static boolean requiresBody(String operation) {
        return operation.equals("createRoom") || operation.equals("inviteUser") || operation.equals("setRoomStateWithKey");
    }

    private static InviteDecision decide(InvitePolicy policy, String operation, Map<String, String> params, JsonNode json,
                                         ServerRequest request) {
        return switch (operation) {
            case "createRoom" -> policy.createRoom(json);
            case "inviteUser" -> policy.invite(json);
            case "setRoomStateWithKey" -> policy.stateEvent(params.get("eventType"), params.getOrDefault("stateKey", ""), json);
            case "joinRoom", "knockRoom" -> policy.join(params.get("roomIdOrAlias"), viaServers(request), json);
            case "joinRoomById" -> policy.join(params.get("roomId"), viaServers(request), json);
            default -> InviteDecision.ALLOWED;
        };
    }

    private static List<String> viaServers(ServerRequest request) {
        List<String> servers = new ArrayList<>(request.params().getOrDefault("server_name", List.of()));
        servers.addAll(request.params().getOrDefault("via", List.of()));
        return servers;
    }

    private static ServerResponse refuse(MeterRegistry meters, String operation, String reason, MatrixException e) {
        meters.counter("tim.gateway.permission.decisions", "stage", "1", "operation", operation,
                "outcome", "denied", "reason", reason).increment();
        return MatrixErrorResponses.response(e);
    }
}

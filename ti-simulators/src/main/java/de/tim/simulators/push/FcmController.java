package de.tim.simulators.push;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

/** FCM HTTP v1 {@code POST /v1/projects/{project}/messages:send}, with Google's error shapes. */
@RestController
public class FcmController {

    private final PushSink sink;
    private final PushProperties properties;
    private final FcmOAuthController oauth;

    public FcmController(PushSink sink, PushProperties properties, FcmOAuthController oauth) {
        this.oauth = oauth;
        this.sink = sink;
        this.properties = properties;
    }

    @PostMapping(path = "/v1/projects/{project}/messages:send", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> send(@PathVariable("project") String project,
                                                    @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                                    @RequestBody(required = false) JsonNode body) throws InterruptedException {
        if (!authorized(authorization)) {
            return error(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "Request had invalid authentication credentials.", null);
        }
        JsonNode message = body == null ? null : body.get("message");
        if (message == null || !message.isObject()) {
            return error(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "Request contains an invalid argument.", "INVALID_ARGUMENT");
        }
        String token = message.path("token").asText(null);
        if (!StringUtils.hasText(token) && !message.hasNonNull("topic") && !message.hasNonNull("condition")) {
            return error(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", "Exactly one of token, topic or condition is required.", "INVALID_ARGUMENT");
        }
        PushSink.Behaviour behaviour = sink.behaviour(token);
        sink.record(new PushSink.Received("fcm", project, token, Map.of(), body, Instant.now(), behaviour));
        return switch (behaviour) {
            case ACCEPT -> ResponseEntity.ok(Map.of("name", "projects/" + project + "/messages/" + UUID.randomUUID()));
            case UNREGISTERED -> error(HttpStatus.NOT_FOUND, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
            case UNAVAILABLE -> error(HttpStatus.SERVICE_UNAVAILABLE, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE");
            case TIMEOUT -> {
                Thread.sleep(properties.timeoutDelay());
                yield error(HttpStatus.GATEWAY_TIMEOUT, "DEADLINE_EXCEEDED", "Deadline exceeded.", "INTERNAL");
            }
        };
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() <= 7) {
            return false;
        }
        String token = authorization.substring(7).trim();
        if (StringUtils.hasText(properties.fcmAccessToken())) {
            return properties.fcmAccessToken().equals(token);
        }
        return !properties.fcmRequireIssuedToken() || oauth.issuedAndValid(token);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String grpcStatus, String message, String fcmErrorCode) {
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("code", status.value());
        error.put("message", message);
        error.put("status", grpcStatus);
        if (fcmErrorCode != null) {
            error.put("details", List.of(Map.of("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                    "errorCode", fcmErrorCode)));
        }
        return ResponseEntity.status(status).body(Map.of("error", error));
    }
}

package de.tim.simulators.push;

import java.time.Instant;
import java.util.LinkedHashMap;
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

/**
 * APNs provider API {@code POST /3/device/{deviceToken}} (token-based auth), with APNs' {@code apns-id} header and
 * {@code {"reason": …}} errors. Served over HTTP/1.1 and h2c (the real APNs is HTTP/2 over TLS).
 */
@RestController
public class ApnsController {

    private final PushSink sink;
    private final PushProperties properties;

    public ApnsController(PushSink sink, PushProperties properties) {
        this.sink = sink;
        this.properties = properties;
    }

    @PostMapping(path = "/3/device/{deviceToken}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> send(@PathVariable("deviceToken") String deviceToken,
                                                    @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                                    @RequestHeader(name = "apns-topic", required = false) String topic,
                                                    @RequestHeader(name = "apns-push-type", required = false) String pushType,
                                                    @RequestHeader(name = "apns-id", required = false) String apnsId,
                                                    @RequestBody(required = false) JsonNode body) throws InterruptedException {
        String id = StringUtils.hasText(apnsId) ? apnsId : UUID.randomUUID().toString().toUpperCase();
        if (authorization == null || !authorization.startsWith("bearer ") && !authorization.startsWith("Bearer ")) {
            return error(HttpStatus.FORBIDDEN, "MissingProviderToken", id);
        }
        String token = authorization.substring(7).trim();
        if (StringUtils.hasText(properties.apnsAuthToken()) && !properties.apnsAuthToken().equals(token)) {
            return error(HttpStatus.FORBIDDEN, "InvalidProviderToken", id);
        }
        if (!StringUtils.hasText(topic)) {
            return error(HttpStatus.BAD_REQUEST, "MissingTopic", id);
        }
        if (body == null || !body.has("aps")) {
            return error(HttpStatus.BAD_REQUEST, "PayloadEmpty", id);
        }
        if (!deviceToken.matches("[0-9a-fA-F]{16,200}")) {
            return error(HttpStatus.BAD_REQUEST, "BadDeviceToken", id);
        }
        PushSink.Behaviour behaviour = sink.behaviour(deviceToken);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("apns-topic", topic);
        if (pushType != null) {
            headers.put("apns-push-type", pushType);
        }
        sink.record(new PushSink.Received("apns", topic, deviceToken, headers, body, Instant.now(), behaviour));
        return switch (behaviour) {
            case ACCEPT -> ResponseEntity.ok().header("apns-id", id).build();
            case UNREGISTERED -> {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("reason", "Unregistered");
                error.put("timestamp", Instant.now().toEpochMilli());
                yield ResponseEntity.status(HttpStatus.GONE).header("apns-id", id).body(error);
            }
            case UNAVAILABLE -> error(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailable", id);
            case TIMEOUT -> {
                Thread.sleep(properties.timeoutDelay());
                yield error(HttpStatus.GATEWAY_TIMEOUT, "InternalServerError", id);
            }
        };
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String reason, String id) {
        return ResponseEntity.status(status).header("apns-id", id).body(Map.of("reason", reason));
    }
}

package de.tim.push.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * FCM HTTP v1: {@code POST {base}/v1/projects/{project}/messages:send} with a data-only message, so the app
 * wakes up and fetches the event itself. Error mapping per Google's {@code ErrorCode} documentation:
 * {@code UNREGISTERED} (404), {@code INVALID_ARGUMENT} (400) and {@code SENDER_ID_MISMATCH} (403) reject the
 * pushkey; 401 refreshes the access token and is retried; 429, 500 and 503 are transient.
 */
final class FcmProvider implements PushProvider {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final URI sendUri;
    private final FcmAccessTokens tokens;

    FcmProvider(HttpClient http, ObjectMapper json, Duration timeout, URI baseUrl, String projectId, FcmAccessTokens tokens) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.sendUri = URI.create(base + "/v1/projects/" + projectId + "/messages:send");
        this.tokens = tokens;
    }

    @Override
    public ProviderOutcome send(PushMessage message) {
        try {
            String accessToken = tokens.current();
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(sendUri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + accessToken)
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body(message))))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            return classify(response.statusCode(), response.body());
        } catch (IOException e) {
            return ProviderOutcome.transientFailure("fcm:" + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderOutcome.transientFailure("fcm:interrupted");
        }
    }

    private ObjectNode body(PushMessage message) {
        ObjectNode root = json.createObjectNode();
        ObjectNode msg = root.putObject("message");
        msg.put("token", message.pushkey());
        ObjectNode data = msg.putObject("data");
        message.data().forEach(data::put);
        msg.putObject("android").put("priority", message.highPriority() ? "high" : "normal");
        return root;
    }

    private ProviderOutcome classify(int status, byte[] body) {
        if (status == 200) {
            return ProviderOutcome.delivered();
        }
        String code = errorCode(body);
        String reason = "fcm:" + status + ":" + code;
        return switch (status) {
            case 404 -> ProviderOutcome.rejected(reason);
            case 400 -> "INVALID_ARGUMENT".equals(code) ? ProviderOutcome.rejected(reason) : ProviderOutcome.failed(reason);
            case 403 -> "SENDER_ID_MISMATCH".equals(code) ? ProviderOutcome.rejected(reason) : ProviderOutcome.failed(reason);
            case 401 -> {
                tokens.invalidate();
                yield ProviderOutcome.transientFailure(reason);
            }
            case 429 -> ProviderOutcome.transientFailure(reason);
            default -> status >= 500 ? ProviderOutcome.transientFailure(reason) : ProviderOutcome.failed(reason);
        };
    }

    /** The FcmError {@code errorCode} from the details, else the google.rpc {@code status}. */
    private String errorCode(byte[] body) {
        try {
            JsonNode error = json.readTree(body).path("error");
            for (JsonNode detail : error.path("details")) {
                if (detail.hasNonNull("errorCode")) {
                    return detail.get("errorCode").asText();
                }
            }
            return error.path("status").asText("UNKNOWN");
        } catch (IOException | RuntimeException e) {
            return "UNPARSEABLE";
        }
    }
}

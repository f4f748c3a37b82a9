package de.tim.push.gateway;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A generic webhook: {@code POST url} with {@code {"app_id","pushkey","data":{...}}} (the privacy-filtered fields).
 * 2xx delivers; 404 and 410 reject the pushkey; 429, 5xx and network errors are transient; other statuses fail.
 */
final class WebhookProvider implements PushProvider {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;
    private final PushGatewayProperties.Webhook config;

    WebhookProvider(HttpClient http, ObjectMapper json, Duration timeout, PushGatewayProperties.Webhook config) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
        this.config = config;
    }

    @Override
    public ProviderOutcome send(PushMessage message) {
        ObjectNode body = json.createObjectNode();
        body.put("app_id", message.appId());
        body.put("pushkey", message.pushkey());
        ObjectNode data = body.putObject("data");
        message.data().forEach(data::put);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(config.url())
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            if (config.bearerToken() != null && !config.bearerToken().isBlank()) {
                request.header("Authorization", "Bearer " + config.bearerToken());
            }
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            String reason = "webhook:" + status;
            if (status >= 200 && status < 300) {
                return ProviderOutcome.delivered();
            }
            if (status == 404 || status == 410) {
                return ProviderOutcome.rejected(reason);
            }
            if (status == 429 || status >= 500) {
                return ProviderOutcome.transientFailure(reason);
            }
            return ProviderOutcome.failed(reason);
        } catch (IOException e) {
            return ProviderOutcome.transientFailure("webhook:" + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderOutcome.transientFailure("webhook:interrupted");
        }
    }
}

package de.tim.push.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.kafka.topics.PushNotificationRecord.Notification;
import de.tim.push.delivery.DeliveryExceptions.PermanentDeliveryException;
import de.tim.push.delivery.DeliveryExceptions.TransientDeliveryException;

/** Posts a notification to a push gateway ({@code POST …/_matrix/push/v1/notify}) and reads the rejected pushkeys. */
class GatewayClient {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    GatewayClient(HttpClient http, ObjectMapper json, Duration timeout) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
    }

    /** The rejected pushkeys; throws a transient or permanent delivery exception otherwise. */
    List<String> notify(URI gatewayUrl, Notification notification) {
        ObjectNode body = json.createObjectNode();
        body.set("notification", json.valueToTree(notification));
        HttpResponse<byte[]> response;
        try {
            response = http.send(HttpRequest.newBuilder(gatewayUrl)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransientDeliveryException("push gateway not reachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDeliveryException("interrupted");
        }
        int status = response.statusCode();
        if (status == 200) {
            return rejected(response.body());
        }
        if (status == 429 || status == 408 || status >= 500) {
            throw new TransientDeliveryException("push gateway answered " + status);
        }
        throw new PermanentDeliveryException("push gateway answered " + status);
    }

    private List<String> rejected(byte[] body) {
        try {
            JsonNode rejected = json.readTree(body).path("rejected");
            List<String> keys = new ArrayList<>();
            rejected.forEach(k -> keys.add(k.asText()));
            return keys;
        } catch (IOException | RuntimeException e) {
            // a 200 without a readable body still means the gateway accepted the notification
            return List.of();
        }
    }
}

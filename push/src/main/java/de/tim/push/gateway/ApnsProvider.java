package de.tim.push.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * APNs provider API with token-based authentication: {@code POST {base}/3/device/{token}} over HTTP/2 with an
 * ES256 provider JWT ({@code iss} team id, {@code kid} key id), renewed every 50 minutes. The payload carries no
 * content: a neutral alert with {@code mutable-content} so the app's notification service extension fetches and
 * decrypts the event, or a background push. Error mapping per Apple's documentation: 410 ({@code Unregistered})
 * and 400 {@code BadDeviceToken}/{@code DeviceTokenNotForTopic} reject the pushkey; 403
 * {@code ExpiredProviderToken}/{@code InvalidProviderToken} renew the JWT and are retried; 429, 500 and 503 are
 * transient.
 */
final class ApnsProvider implements PushProvider {

    private static final Set<String> TOKEN_REASONS = Set.of("BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered",
            "ExpiredToken");
    private static final Duration JWT_LIFETIME = Duration.ofMinutes(50);

    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration timeout;
    private final PushGatewayProperties.Apns config;
    private final String base;
    private final ECPrivateKey key;
    private String jwt;
    private Instant jwtIssued = Instant.EPOCH;

    ApnsProvider(HttpClient http, ObjectMapper json, Clock clock, Duration timeout, PushGatewayProperties.Apns config,
                 String privateKeyPem) {
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.timeout = timeout;
        this.config = config;
        this.base = config.baseUrl().toString().replaceAll("/+$", "");
        this.key = (ECPrivateKey) PemKeys.pkcs8(privateKeyPem, "EC");
    }

    @Override
    public ProviderOutcome send(PushMessage message) {
        boolean background = "background".equals(config.pushType());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(base + "/3/device/" + URLEncoder.encode(message.pushkey(), StandardCharsets.UTF_8)))
                    .version(HttpClient.Version.HTTP_2)
                    .timeout(timeout)
                    .header("authorization", "bearer " + providerToken())
                    .header("apns-push-type", background ? "background" : "alert")
                    .header("apns-priority", background || !message.highPriority() ? "5" : "10")
                    .header("apns-topic", config.topic())
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(payload(message, background))));
            if (message.eventId() != null) {
                // stable per (event, device): lets Apple and the sink correlate a retried request
                request.header("apns-id", UUID.nameUUIDFromBytes(
                        (message.eventId() + "\u0000" + message.pushkey()).getBytes(StandardCharsets.UTF_8)).toString());
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return classify(response.statusCode(), response.body());
        } catch (IOException e) {
            return ProviderOutcome.transientFailure("apns:" + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProviderOutcome.transientFailure("apns:interrupted");
        }
    }

    private ObjectNode payload(PushMessage message, boolean background) {
        ObjectNode root = json.createObjectNode();
        ObjectNode aps = root.putObject("aps");
        if (background) {
            aps.put("content-available", 1);
        } else {
            aps.putObject("alert").put("body", config.alertBody());
            aps.put("mutable-content", 1);
            if (message.unread() != null) {
                aps.put("badge", message.unread());
            }
        }
        message.data().forEach(root::put);
        return root;
    }

    private ProviderOutcome classify(int status, byte[] body) {
        if (status == 200) {
            return ProviderOutcome.delivered();
        }
        String reason = reason(body);
        String tag = "apns:" + status + ":" + reason;
        if (status == 410 || (status == 400 && TOKEN_REASONS.contains(reason))) {
            return ProviderOutcome.rejected(tag);
        }
        if (status == 403 && ("ExpiredProviderToken".equals(reason) || "InvalidProviderToken".equals(reason))) {
            renewToken();
            return ProviderOutcome.transientFailure(tag);
        }
        if (status == 429 || status >= 500) {
            return ProviderOutcome.transientFailure(tag);
        }
        return ProviderOutcome.failed(tag);
    }

    private String reason(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node == null ? "none" : node.path("reason").asText("none");
        } catch (IOException | RuntimeException e) {
            return "UNPARSEABLE";
        }
    }

    private synchronized String providerToken() {
        Instant now = clock.instant();
        if (jwt == null || !now.isBefore(jwtIssued.plus(JWT_LIFETIME))) {
            SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(config.keyId()).build(),
                    new JWTClaimsSet.Builder().issuer(config.teamId()).issueTime(Date.from(now)).build());
            try {
                signed.sign(new ECDSASigner(key));
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot sign the APNs provider token", e);
            }
            jwt = signed.serialize();
            jwtIssued = now;
        }
        return jwt;
    }

    private synchronized void renewToken() {
        jwt = null;
    }
}

package de.tim.push.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The configured provider of each app id, built once at start-up from {@link PushGatewayProperties#apps()}. */
public final class PushProviders {

    private final Map<String, PushProvider> byAppId = new HashMap<>();

    public PushProviders(PushGatewayProperties properties, HttpClient http, ObjectMapper json, Clock clock) {
        properties.apps().forEach((appId, app) -> byAppId.put(appId, create(appId, app, properties, http, json, clock)));
    }

    /** The provider for an app id, empty if the app id is not configured. */
    public Optional<PushProvider> forApp(String appId) {
        return Optional.ofNullable(byAppId.get(appId));
    }

    private static PushProvider create(String appId, PushGatewayProperties.App app, PushGatewayProperties properties,
                                       HttpClient http, ObjectMapper json, Clock clock) {
        return switch (app.type()) {
            case FCM -> {
                var fcm = require(app.fcm(), appId, "fcm");
                JsonNode accountJson = readJson(json, fcm.serviceAccountJson() != null ? fcm.serviceAccountJson()
                        : read(fcm.serviceAccountFile(), appId, "fcm.service-account-file"));
                var account = FcmAccessTokens.ServiceAccount.parse(accountJson, fcm.tokenUri());
                String project = fcm.projectId() != null ? fcm.projectId() : account.projectId();
                if (project == null) {
                    throw new IllegalStateException("app " + appId + ": no fcm.project-id and none in the service account");
                }
                yield new FcmProvider(http, json, properties.providerTimeout(), fcm.baseUrl(), project,
                        new FcmAccessTokens(http, json, clock, properties.providerTimeout(), account));
            }
            case APNS -> {
                var apns = require(app.apns(), appId, "apns");
                if (apns.teamId() == null || apns.keyId() == null || apns.topic() == null) {
                    // token-based APNs authentication needs apns-topic on every request
                    throw new IllegalStateException("app " + appId + ": apns.team-id, apns.key-id and apns.topic are required");
                }
                String pem = apns.privateKey() != null ? apns.privateKey()
                        : read(apns.privateKeyFile(), appId, "apns.private-key-file");
                yield new ApnsProvider(http, json, clock, properties.providerTimeout(), apns, pem);
            }
            case WEBHOOK -> new WebhookProvider(http, json, properties.providerTimeout(), require(app.webhook(), appId, "webhook"));
        };
    }

    private static <T> T require(T value, String appId, String section) {
        if (value == null) {
            throw new IllegalStateException("app " + appId + ": section " + section + " is missing");
        }
        return value;
    }

    private static String read(java.nio.file.Path file, String appId, String property) {
        if (file == null) {
            throw new IllegalStateException("app " + appId + ": " + property + " (or the inline value) is required");
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("app " + appId + ": cannot read " + property, e);
        }
    }

    private static JsonNode readJson(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("service account JSON is not valid JSON");
        }
    }
}

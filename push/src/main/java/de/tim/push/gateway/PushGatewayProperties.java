package de.tim.push.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The Push Gateway ({@code POST /_matrix/push/v1/notify}) and its push providers.
 *
 * @param enabled          serve the Push Gateway API (default true)
 * @param apps             one entry per pusher {@code app_id}: which provider delivers it and with which credentials;
 *                         notifications for app ids not listed here are answered as rejected
 * @param providerTimeout  timeout of one provider call, including the connection (default 10s)
 * @param dedupRetention   how long a delivered (event, app id, pushkey) is remembered to suppress duplicate
 *                         requests (default 48h)
 * @param claimLease       how long an in-flight delivery blocks a concurrent duplicate before it may be taken over
 *                         (default 30s)
 * @param expiryInterval   how often expired deduplication entries are removed (default 10m)
 * @param maxRequestBytes  largest accepted notify request body; larger ones get 413 {@code M_TOO_LARGE} (default 65536)
 */
@Validated
@ConfigurationProperties(PushGatewayProperties.PREFIX)
public record PushGatewayProperties(
        Boolean enabled,
        @Valid Map<String, App> apps,
        Duration providerTimeout,
        Duration dedupRetention,
        Duration claimLease,
        Duration expiryInterval,
        Integer maxRequestBytes) {

    public static final String PREFIX = "tim.push.gateway";

    public PushGatewayProperties {
        enabled = enabled == null || enabled;
        apps = apps == null ? Map.of() : Map.copyOf(apps);
        providerTimeout = providerTimeout == null ? Duration.ofSeconds(10) : providerTimeout;
        dedupRetention = dedupRetention == null ? Duration.ofHours(48) : dedupRetention;
        claimLease = claimLease == null ? Duration.ofSeconds(30) : claimLease;
        expiryInterval = expiryInterval == null ? Duration.ofMinutes(10) : expiryInterval;
        maxRequestBytes = maxRequestBytes == null ? 65_536 : maxRequestBytes;
    }

    /** The provider kinds. */
    public enum ProviderType { FCM, APNS, WEBHOOK }

    /**
     * One app id.
     *
     * @param type          provider: {@code fcm}, {@code apns} or {@code webhook}
     * @param forwardFields notification fields forwarded to the provider in addition to the privacy-preserving
     *                      minimum (event id, room id, counts, priority). Default none. Enabling any of them sends
     *                      personal data or content to a third party (A_22808): only with a documented reason.
     * @param fcm           FCM HTTP v1 settings (type fcm)
     * @param apns          APNs settings (type apns)
     * @param webhook       generic webhook settings (type webhook)
     */
    public record App(
            @NotNull ProviderType type,
            Set<NotificationField> forwardFields,
            Fcm fcm,
            Apns apns,
            Webhook webhook) {

        public App {
            forwardFields = forwardFields == null ? Set.of() : Set.copyOf(forwardFields);
        }
    }

    /**
     * FCM HTTP v1 with a Google service account (OAuth 2.0 JWT bearer grant).
     *
     * @param projectId          Firebase project id; defaults to the service account's {@code project_id}
     * @param baseUrl            FCM API base (default {@code https://fcm.googleapis.com})
     * @param tokenUri           OAuth token endpoint; defaults to the service account's {@code token_uri}
     * @param serviceAccountFile path of the service-account JSON key file
     * @param serviceAccountJson the service-account JSON itself (alternative to the file, e.g. from a secret)
     */
    public record Fcm(String projectId, URI baseUrl, URI tokenUri, Path serviceAccountFile, String serviceAccountJson) {
        public Fcm {
            baseUrl = baseUrl == null ? URI.create("https://fcm.googleapis.com") : baseUrl;
        }
    }

    /**
     * APNs with token-based authentication (ES256 JWT) over HTTP/2.
     *
     * @param baseUrl        APNs base (default {@code https://api.push.apple.com}; sandbox
     *                       {@code https://api.sandbox.push.apple.com})
     * @param teamId         Apple developer team id (JWT {@code iss})
     * @param keyId          id of the APNs auth key (JWT {@code kid})
     * @param privateKeyFile path of the {@code AuthKey_<keyId>.p8} file (PKCS#8 PEM, P-256)
     * @param privateKey     the PEM itself (alternative to the file)
     * @param topic          {@code apns-topic}: the app's bundle id
     * @param pushType       {@code alert} (default, with mutable-content so the app's extension fetches and
     *                       decrypts the event) or {@code background}
     * @param alertBody      the neutral alert text shown until the app replaces it (default "Neue Nachricht")
     */
    public record Apns(URI baseUrl, String teamId, String keyId, Path privateKeyFile, String privateKey, String topic,
                       String pushType, String alertBody) {
        public Apns {
            baseUrl = baseUrl == null ? URI.create("https://api.push.apple.com") : baseUrl;
            pushType = pushType == null ? "alert" : pushType;
            alertBody = alertBody == null ? "Neue Nachricht" : alertBody;
        }
    }

    /**
     * A generic webhook receiving {@code {"app_id","pushkey","data":{...}}}.
     *
     * @param url         where notifications are posted
     * @param bearerToken optional {@code Authorization: Bearer} token
     */
    public record Webhook(@NotNull URI url, String bearerToken) {
    }
}

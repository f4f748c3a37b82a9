package de.tim.simulators.vzd.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.util.UriComponentsBuilder;

import com.fasterxml.jackson.databind.JsonNode;

import de.tim.crypto.x509.Certificates;
import de.tim.simulators.vzd.VzdProperties;

/**
 * Asks a homeserver (through its gateway's federation port) who owns a Matrix OpenID token:
 * {@code GET /_matrix/federation/v1/openid/userinfo?access_token=…}. The server name is mapped to a base URL by
 * {@code tim.simulators.vzd.homeservers}, otherwise {@code https://<server name>:8448}.
 */
@Component
public class MatrixUserInfoClient {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Map<String, String> homeservers;
    private final RestClient client;

    public MatrixUserInfoClient(VzdProperties properties, RestClient.Builder builder) {
        this.homeservers = Map.copyOf(properties.homeservers());
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (properties.homeserverCaPem() != null) {
            http.sslContext(sslContext(Certificates.readPem(properties.homeserverCaPem())));
        }
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http.build());
        factory.setReadTimeout(Duration.ofSeconds(10));
        this.client = builder.requestFactory(factory).build();
    }

    /** The user id ({@code sub}) the token belongs to, or empty if the server rejects the token or is unreachable. */
    public Optional<String> userId(String serverName, String openIdToken) {
        String base = homeservers.getOrDefault(serverName, "https://" + serverName + ":8448");
        URI uri = UriComponentsBuilder.fromUriString(base).path("/_matrix/federation/v1/openid/userinfo")
                .queryParam("access_token", openIdToken).encode().build().toUri();
        try {
            String body = client.get().uri(uri).retrieve().body(String.class);
            JsonNode json = body == null ? null : JSON.readTree(body);
            return Optional.ofNullable(json).map(b -> b.path("sub").asText(null));
        } catch (RestClientException | IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static SSLContext sslContext(List<X509Certificate> cas) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS trust for homeservers", e);
        }
    }
}

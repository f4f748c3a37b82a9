package de.tim.push.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * OAuth 2.0 access tokens for FCM HTTP v1 from a Google service account: an RS256-signed JWT assertion exchanged at
 * the token endpoint ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}), cached until shortly before
 * it expires.
 */
final class FcmAccessTokens {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration timeout;
    private final String clientEmail;
    private final String keyId;
    private final RSAPrivateKey key;
    private final URI tokenUri;
    private String token;
    private Instant expiresAt = Instant.EPOCH;

    FcmAccessTokens(HttpClient http, ObjectMapper json, Clock clock, Duration timeout, ServiceAccount account) {
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.timeout = timeout;
        this.clientEmail = account.clientEmail();
        this.keyId = account.privateKeyId();
        this.key = (RSAPrivateKey) PemKeys.pkcs8(account.privateKeyPem(), "RSA");
        this.tokenUri = account.tokenUri();
    }

    /** The fields of a service-account key file this class needs. */
    record ServiceAccount(String projectId, String clientEmail, String privateKeyId, String privateKeyPem, URI tokenUri) {

        static ServiceAccount parse(JsonNode node, URI tokenUriOverride) {
            String email = node.path("client_email").asText(null);
            String pem = node.path("private_key").asText(null);
            if (email == null || pem == null) {
                throw new IllegalStateException("service account JSON lacks client_email or private_key");
            }
            URI tokenUri = tokenUriOverride != null ? tokenUriOverride
                    : URI.create(node.path("token_uri").asText("https://oauth2.googleapis.com/token"));
            return new ServiceAccount(node.path("project_id").asText(null), email, node.path("private_key_id").asText(null),
                    pem, tokenUri);
        }
    }

    /** A valid access token, fetching a new one if needed. */
    synchronized String current() throws IOException, InterruptedException {
        Instant now = clock.instant();
        if (token != null && now.isBefore(expiresAt.minusSeconds(60))) {
            return token;
        }
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion(now), StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(tokenUri)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("OAuth token endpoint answered " + response.statusCode());
        }
        JsonNode body = json.readTree(response.body());
        String accessToken = body.path("access_token").asText(null);
        if (accessToken == null) {
            throw new IOException("OAuth token endpoint answered without access_token");
        }
        token = accessToken;
        expiresAt = now.plusSeconds(body.path("expires_in").asLong(3600));
        return token;
    }

    /** Forgets the cached token (after a 401 from FCM). */
    synchronized void invalidate() {
        token = null;
    }

    private String assertion(Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientEmail)
                .subject(clientEmail)
                .audience(tokenUri.toString())
                .claim("scope", SCOPE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .build();
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256);
        if (keyId != null) {
            header.keyID(keyId);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the OAuth assertion", e);
        }
        return jwt.serialize();
    }
}

package de.tim.homeserver.sso;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainProperties;
import de.tim.matrix.error.MatrixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Talks to a domain's OpenID Connect provider: discovery, code exchange, ID-token validation (JWKS). */
@Component
class OidcProviderClient {

    private static final Logger log = LoggerFactory.getLogger(OidcProviderClient.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Map<String, Endpoints> endpoints = new ConcurrentHashMap<>();

    OidcProviderClient(ObjectMapper json) {
        this.json = json;
    }

    /** The provider's endpoints and key source, discovered once per domain and cached. */
    record Endpoints(String authorization, String token, JWKSource<SecurityContext> keys) {
    }

    Endpoints endpoints(Domain domain) {
        return endpoints.computeIfAbsent(domain.serverName(), name -> discover(domain.oidc()));
    }

    private Endpoints discover(DomainProperties.Oidc oidc) {
        String authorization = oidc.authorizationEndpoint();
        String token = oidc.tokenEndpoint();
        String jwks = oidc.jwksUri();
        if (authorization == null || token == null || jwks == null) {
            JsonNode config = getJson(oidc.issuer().replaceAll("/$", "") + "/.well-known/openid-configuration");
            if (!oidc.issuer().equals(config.path("issuer").asText())) {
                throw MatrixException.unknown(502, "OIDC discovery returned another issuer");
            }
            authorization = authorization != null ? authorization : config.path("authorization_endpoint").asText(null);
            token = token != null ? token : config.path("token_endpoint").asText(null);
            jwks = jwks != null ? jwks : config.path("jwks_uri").asText(null);
        }
        if (authorization == null || token == null || jwks == null) {
            throw MatrixException.unknown(502, "OIDC provider configuration incomplete");
        }
        try {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(URI.create(jwks).toURL()).build();
            return new Endpoints(authorization, token, keys);
        } catch (IOException | IllegalArgumentException e) {
            throw MatrixException.unknown(502, "Invalid OIDC jwks_uri");
        }
    }

    /** Exchanges the authorization code (with the PKCE verifier) and returns the validated ID-token claims. */
    JWTClaimsSet exchange(Domain domain, String code, String verifier, String redirectUri, String nonce) {
        DomainProperties.Oidc oidc = domain.oidc();
        Endpoints endpoints = endpoints(domain);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        form.put("client_id", oidc.clientId());
        if (oidc.clientSecret() != null) {
            form.put("client_secret", oidc.clientSecret());
        }
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        JsonNode response;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoints.token())).timeout(TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                log.warn("OIDC token endpoint of {} answered {}", domain.serverName(), r.statusCode());
                throw MatrixException.forbidden("The identity provider rejected the login");
            }
            response = json.readTree(r.body());
        } catch (IOException e) {
            throw MatrixException.unknown(502, "Identity provider not reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown(503, "Interrupted");
        }
        String idToken = response.path("id_token").asText(null);
        if (idToken == null) {
            throw MatrixException.forbidden("The identity provider returned no ID token");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, endpoints.keys()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(oidc.clientId(),
                new JWTClaimsSet.Builder().issuer(oidc.issuer()).claim("nonce", nonce).build(), Set.of("sub", "exp", "iat")));
        try {
            return processor.process(idToken, null);
        } catch (Exception e) {
            log.warn("Rejected ID token for {}: {}", domain.serverName(), e.getClass().getSimpleName());
            throw MatrixException.forbidden("Invalid ID token");
        }
    }

    private JsonNode getJson(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw MatrixException.unknown(502, "OIDC discovery failed");
            }
            return json.readTree(r.body());
        } catch (IOException e) {
            throw MatrixException.unknown(502, "OIDC discovery failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown(503, "Interrupted");
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

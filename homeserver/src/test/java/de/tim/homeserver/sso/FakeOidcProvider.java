package de.tim.homeserver.sso;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A minimal OpenID Connect provider for tests: discovery, JWKS, token endpoint with PKCE check. */
final class FakeOidcProvider implements AutoCloseable {

    static final String CLIENT_ID = "homeserver-client";
    static final String CLIENT_SECRET = "homeserver-secret";

    private final HttpServer server;
    private final RSAKey key;
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    /** What the user's login at the provider produced for one code. */
    record Grant(String codeChallenge, String nonce, Map<String, Object> claims) {
    }

    FakeOidcProvider() {
        try {
            key = new RSAKeyGenerator(2048).keyID("test-key").generate();
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/.well-known/openid-configuration", ex -> respond(ex, 200, "{\"issuer\":\"" + issuer()
                + "\",\"authorization_endpoint\":\"" + issuer() + "/authorize\",\"token_endpoint\":\"" + issuer()
                + "/token\",\"jwks_uri\":\"" + issuer() + "/jwks\"}"));
        server.createContext("/jwks", ex -> respond(ex, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/token", this::token);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Simulates the user logging in at the provider: the code the provider would redirect back with. */
    String authorize(String code, String codeChallenge, String nonce, Map<String, Object> claims) {
        grants.put(code, new Grant(codeChallenge, nonce, claims));
        return code;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        Grant grant = grants.remove(form.get("code"));
        if (grant == null || !CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))
                || !"authorization_code".equals(form.get("grant_type"))
                || !grant.codeChallenge().equals(SsoService.challenge(form.get("code_verifier")))) {
            respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).audience(CLIENT_ID)
                .subject("sub-" + grant.claims().get("preferred_username")).issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 300_000)).claim("nonce", grant.nonce());
        grant.claims().forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            respond(exchange, 200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"" + jwt.serialize() + "\"}");
        } catch (JOSEException e) {
            respond(exchange, 500, "{}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

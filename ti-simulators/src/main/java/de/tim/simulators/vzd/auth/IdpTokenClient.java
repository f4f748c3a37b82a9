package de.tim.simulators.vzd.auth;

import java.time.Clock;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.JwsVerificationException;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.jws.VerifiedJws;
import de.tim.crypto.jws.X5cJwsVerifier;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.VzdProperties;

/** The Auth-Service as client of the IDP: redeems the authorization code and verifies the ID_TOKEN. */
@Component
public class IdpTokenClient {

    private final RestClient client;
    private final VzdProperties properties;
    private final VzdBaseUrl baseUrl;
    private final X5cJwsVerifier verifier;
    private final Set<java.security.cert.X509Certificate> idpCertificates;
    private final Clock clock = Clock.systemUTC();

    public IdpTokenClient(RestClient.Builder builder, VzdProperties properties, VzdBaseUrl baseUrl, TestPki pki) {
        this.client = builder.build();
        this.properties = properties;
        this.baseUrl = baseUrl;
        this.verifier = new X5cJwsVerifier(pki.chainValidator(), Set.of(TiJwsAlgorithms.BP256R1, JWSAlgorithm.ES256), null);
        this.idpCertificates = Set.of(pki.signer(SignerRole.IDP_BP256).certificate(), pki.signer(SignerRole.IDP_P256).certificate());
    }

    public String idpBaseUrl() {
        return StringUtils.hasText(properties.idpBaseUrl()) ? properties.idpBaseUrl() : baseUrl.current() + "/idp";
    }

    /** Redeems the code and returns the verified ID_TOKEN claims. */
    public JWTClaimsSet redeem(String code, OwnerLogins.Pending login) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "authorization_code");
        form.add("code", code);
        form.add("client_id", properties.idpClientId());
        form.add("redirect_uri", login.redirectUri());
        form.add("code_verifier", login.codeVerifier());
        JsonNode response;
        try {
            response = client.post().uri(idpBaseUrl() + "/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(form).retrieve().body(JsonNode.class);
        } catch (RestClientException e) {
            throw VzdException.unauthorized("the IDP did not redeem the authorization code");
        }
        String idToken = response == null ? null : response.path("id_token").asText(null);
        if (idToken == null) {
            throw VzdException.unauthorized("the IDP returned no ID_TOKEN");
        }
        try {
            VerifiedJws verified = verifier.verify(idToken);
            if (!idpCertificates.contains(verified.signer())) {
                throw VzdException.unauthorized("ID_TOKEN is not signed by the IDP");
            }
            JWTClaimsSet claims = verified.claims();
            if (claims.getAudience() == null || !claims.getAudience().contains(properties.idpClientId())) {
                throw VzdException.unauthorized("ID_TOKEN has the wrong audience");
            }
            if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(clock.instant())) {
                throw VzdException.unauthorized("ID_TOKEN expired");
            }
            if (!login.nonce().equals(claims.getClaim("nonce"))) {
                throw VzdException.unauthorized("ID_TOKEN nonce does not match");
            }
            return claims;
        } catch (JwsVerificationException e) {
            throw VzdException.unauthorized("invalid ID_TOKEN: " + e.getMessage());
        }
    }
}

package de.tim.homeserver.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class SsoIntegrationTests extends HomeserverIntegrationTest {

    private static final FakeOidcProvider IDP = new FakeOidcProvider();
    private static final String CLIENT_REDIRECT = "https://client.example/after-login";

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry registry) {
        registry.add("tim.homeserver.domains[0].server-name", () -> A);
        registry.add("tim.homeserver.domains[0].hosts", () -> "localhost:8443");
        registry.add("tim.homeserver.domains[0].public-base-url", () -> "https://localhost:8443/");
        registry.add("tim.homeserver.domains[0].oidc.issuer", IDP::issuer);
        registry.add("tim.homeserver.domains[0].oidc.client-id", () -> FakeOidcProvider.CLIENT_ID);
        registry.add("tim.homeserver.domains[0].oidc.client-secret", () -> FakeOidcProvider.CLIENT_SECRET);
        registry.add("tim.homeserver.domains[0].oidc.idp-name", () -> "Praxis IdP");
        registry.add("tim.homeserver.domains[0].oidc.allowed-client-redirects", () -> CLIENT_REDIRECT);
        registry.add("tim.homeserver.domains[1].server-name", () -> B);
        registry.add("tim.homeserver.domains[1].registration-shared-secret", () -> "b-shared-secret");
    }

    @AfterAll
    static void stop() {
        IDP.close();
    }

    @Test
    void ssoLoginWithPkceProvisionsTheUserAndHandsOutALoginToken() {
        MatrixTestClient.Response flows = a().get("/_matrix/client/v3/login", null);
        assertThat(flows.body().path("flows").toString()).contains("m.login.sso", "\"id\":\"oidc\"", "Praxis IdP");
        assertThat(b().get("/_matrix/client/v3/login", null).body().path("flows").toString()).doesNotContain("m.login.sso");

        Map<String, String> authorize = startLogin();
        assertThat(authorize.get("client_id")).isEqualTo(FakeOidcProvider.CLIENT_ID);
        assertThat(authorize.get("redirect_uri")).isEqualTo("https://localhost:8443/_synapse/client/oidc/callback");
        assertThat(authorize.get("code_challenge_method")).isEqualTo("S256");
        assertThat(authorize.get("scope")).isEqualTo("openid profile");

        String localpart = "ssouser" + System.nanoTime() % 100000;
        String code = IDP.authorize("code-" + localpart, authorize.get("code_challenge"), authorize.get("nonce"),
                Map.of("preferred_username", localpart.toUpperCase(), "name", "Dr. SSO"));
        MatrixTestClient.Response callback = a().get("/_synapse/client/oidc/callback?code=" + code + "&state="
                + authorize.get("state"), null);
        assertThat(callback.status()).as(callback.raw()).isEqualTo(302);
        String location = callback.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(CLIENT_REDIRECT + "?loginToken=");
        String loginToken = URLDecoder.decode(location.substring(location.indexOf('=') + 1), StandardCharsets.UTF_8);

        MatrixTestClient.Response login = a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.token", "token", loginToken));
        assertThat(login.status()).as(login.raw()).isEqualTo(200);
        assertThat(login.text("user_id")).isEqualTo("@" + localpart + ":a.test");
        assertThat(a().get("/_matrix/client/v3/profile/" + login.text("user_id"), login.text("access_token")).text("displayname"))
                .isEqualTo("Dr. SSO");

        // the state is single use
        assertThat(a().get("/_synapse/client/oidc/callback?code=" + code + "&state=" + authorize.get("state"), null).status())
                .isEqualTo(403);
        // an SSO user logs in again into the same account
        Map<String, String> again = startLogin();
        String code2 = IDP.authorize("code2-" + localpart, again.get("code_challenge"), again.get("nonce"),
                Map.of("preferred_username", localpart));
        assertThat(a().get("/_synapse/client/oidc/callback?code=" + code2 + "&state=" + again.get("state"), null).status())
                .isEqualTo(302);
    }

    @Test
    void pkceNonceAndRedirectAreEnforced() {
        Map<String, String> authorize = startLogin();
        // the provider checks PKCE: a code bound to another challenge fails at the token endpoint
        String code = IDP.authorize("code-wrong-pkce-" + System.nanoTime(), "not-the-challenge", authorize.get("nonce"),
                Map.of("preferred_username", "mallory"));
        assertThat(a().get("/_synapse/client/oidc/callback?code=" + code + "&state=" + authorize.get("state"), null).status())
                .isEqualTo(403);

        Map<String, String> second = startLogin();
        String replayed = IDP.authorize("code-wrong-nonce-" + System.nanoTime(), second.get("code_challenge"), "other-nonce",
                Map.of("preferred_username", "mallory"));
        assertThat(a().get("/_synapse/client/oidc/callback?code=" + replayed + "&state=" + second.get("state"), null).status())
                .isEqualTo(403);

        assertThat(a().get("/_matrix/client/v3/login/sso/redirect?redirectUrl=https://evil.example/", null).status())
                .isEqualTo(403);
        assertThat(a().get("/_matrix/client/v3/login/sso/redirect", null).status()).isEqualTo(400);
        assertThat(a().get("/_matrix/client/v3/login/sso/redirect/other?redirectUrl=" + CLIENT_REDIRECT, null).status())
                .isEqualTo(404);
        assertThat(b().get("/_matrix/client/v3/login/sso/redirect?redirectUrl=" + CLIENT_REDIRECT, null).status()).isEqualTo(404);
        assertThat(a().get("/_synapse/client/oidc/callback?code=x&state=unknown", null).status()).isEqualTo(403);
    }

    @Test
    void ssoUsersReauthenticateForUiaThroughTheFallbackPage() {
        String localpart = "uiasso" + System.nanoTime() % 100000;
        String token = ssoLogin(localpart);
        String second = ssoLogin(localpart);
        String secondDevice = a().get("/_matrix/client/v3/account/whoami", second).text("device_id");

        MatrixTestClient.Response challenge = a().delete("/_matrix/client/v3/devices/" + secondDevice, token, null);
        assertThat(challenge.status()).isEqualTo(401);
        assertThat(challenge.body().path("flows").get(0).path("stages").get(0).asText()).isEqualTo("m.login.sso");
        String session = challenge.text("session");
        // not yet done at the provider
        assertThat(a().delete("/_matrix/client/v3/devices/" + secondDevice, token,
                Map.of("auth", Map.of("type", "m.login.sso", "session", session))).status()).isEqualTo(401);

        // someone else logging in at the provider does not complete the stage
        Map<String, String> foreign = fallback(session);
        String foreignCode = IDP.authorize("code-foreign-" + localpart, foreign.get("code_challenge"), foreign.get("nonce"),
                Map.of("preferred_username", "someone-else"));
        assertThat(a().get("/_synapse/client/oidc/callback?code=" + foreignCode + "&state=" + foreign.get("state"), null)
                .status()).isEqualTo(403);

        Map<String, String> authorize = fallback(session);
        String code = IDP.authorize("code-uia-" + localpart, authorize.get("code_challenge"), authorize.get("nonce"),
                Map.of("preferred_username", localpart));
        MatrixTestClient.Response done = a().get("/_synapse/client/oidc/callback?code=" + code + "&state=" + authorize.get("state"), null);
        assertThat(done.status()).as(done.raw()).isEqualTo(200);
        assertThat(done.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(done.raw()).contains("authDone");

        MatrixTestClient.Response deleted = a().delete("/_matrix/client/v3/devices/" + secondDevice, token,
                Map.of("auth", Map.of("type", "m.login.sso", "session", session)));
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        assertThat(a().get("/_matrix/client/v3/account/whoami", second).status()).isEqualTo(401);
        assertThat(a().get("/_matrix/client/v3/auth/m.login.sso/fallback/web?session=" + session, null).status()).isEqualTo(404);
    }

    private String ssoLogin(String localpart) {
        Map<String, String> authorize = startLogin();
        String code = IDP.authorize("code-" + System.nanoTime(), authorize.get("code_challenge"), authorize.get("nonce"),
                Map.of("preferred_username", localpart));
        String location = a().get("/_synapse/client/oidc/callback?code=" + code + "&state=" + authorize.get("state"), null)
                .headers().firstValue("Location").orElseThrow();
        String loginToken = URLDecoder.decode(location.substring(location.indexOf('=') + 1), StandardCharsets.UTF_8);
        return a().post("/_matrix/client/v3/login", null, Map.of("type", "m.login.token", "token", loginToken)).text("access_token");
    }

    private Map<String, String> fallback(String session) {
        MatrixTestClient.Response redirect = a().get("/_matrix/client/v3/auth/m.login.sso/fallback/web?session=" + session, null);
        assertThat(redirect.status()).as(redirect.raw()).isEqualTo(302);
        return query(URI.create(redirect.headers().firstValue("Location").orElseThrow()));
    }

    private static Map<String, String> query(URI location) {
        Map<String, String> params = new HashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }

    private Map<String, String> startLogin() {
        MatrixTestClient.Response redirect = a().get("/_matrix/client/v3/login/sso/redirect/oidc?redirectUrl=" + CLIENT_REDIRECT, null);
        assertThat(redirect.status()).as(redirect.raw()).isEqualTo(302);
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(IDP.issuer() + "/authorize?");
        return query(location);
    }
}

package de.tim.homeserver.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;
import com.mongodb.client.model.Filters;
import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class DomainIsolationIntegrationTests extends HomeserverIntegrationTest {

    @Autowired
    DomainRegistry registry;
    @Autowired
    MongoClient mongo;
    @Autowired
    DomainProperties properties;

    @Test
    void hostWithPortAndConfiguredHostsBindToDomains() {
        assertThat(client("a.test:8448").get("/.well-known/matrix/client", null).status()).isEqualTo(200);
        MatrixTestClient.Response viaPublicHost = client("localhost:8443").get("/.well-known/matrix/client", null);
        assertThat(viaPublicHost.body().path("m.homeserver").path("base_url").asText()).isEqualTo("https://localhost:8443/");
        MatrixTestClient.Response b = b().get("/.well-known/matrix/client", null);
        assertThat(b.body().path("m.homeserver").path("base_url").asText()).isEqualTo("https://localhost:9443/");
        // X-Forwarded-Host is not trusted by default
        MatrixTestClient.Response forwarded = a().withHeader("X-Forwarded-Host", B).get("/.well-known/matrix/client", null);
        assertThat(forwarded.body().path("m.homeserver").path("base_url").asText()).isEqualTo("https://localhost:8443/");
    }

    @Test
    void tokensAndUsersDoNotCrossDomains() {
        String localpart = uniqueLocalpart("same");
        TestUser onA = register(a(), localpart, false);
        TestUser onB = register(b(), localpart, false, "b-shared-secret");
        assertThat(onA.userId()).isEqualTo("@" + localpart + ":a.test");
        assertThat(onB.userId()).isEqualTo("@" + localpart + ":b.test");

        assertThat(b().get("/_matrix/client/v3/account/whoami", onA.accessToken()).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(a().get("/_matrix/client/v3/account/whoami", onB.accessToken()).errcode()).isEqualTo("M_UNKNOWN_TOKEN");
        assertThat(a().get("/_matrix/client/v3/account/whoami", onA.accessToken()).text("user_id")).isEqualTo(onA.userId());

        // b's users cannot log in on a with a's user id, nor with their own full id
        assertThat(login(b(), onA.userId(), PASSWORD).status()).isEqualTo(403);
        assertThat(login(b(), onB.userId(), PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void directorySearchStaysInTheDomain() {
        String marker = "isol" + System.nanoTime() % 100000;
        TestUser onA = register(a(), marker + "-a", false);
        register(b(), marker + "-b", false, "b-shared-secret");
        MatrixTestClient.Response r = a().post("/_matrix/client/v3/user_directory/search", onA.accessToken(),
                Map.of("search_term", marker));
        assertThat(r.body().path("results").findValuesAsText("user_id")).containsExactly(onA.userId());
    }

    @Test
    void sharedSecretIsPerDomain() {
        MatrixTestClient.Response nonce = b().get("/_synapse/admin/v1/register", null);
        String localpart = uniqueLocalpart("wrongsecret");
        MatrixTestClient.Response r = b().post("/_synapse/admin/v1/register", null, Map.of("nonce", nonce.text("nonce"),
                "username", localpart, "password", PASSWORD, "admin", false,
                "mac", de.tim.homeserver.registration.RegistrationService.mac("test-shared-secret", nonce.text("nonce"),
                        localpart, PASSWORD, false, null)));
        assertThat(r.status()).isEqualTo(403);
    }

    @Test
    void eachDomainHasItsOwnDatabaseAndSigningKey() {
        Domain a = registry.byServerName(A).orElseThrow();
        Domain b = registry.byServerName(B).orElseThrow();
        assertThat(a.databaseName()).isNotEqualTo(b.databaseName());
        assertThat(a.signingKey().keyId()).startsWith("ed25519:");
        assertThat(a.signingKey().seed()).isNotEqualTo(b.signingKey().seed());
        Document stored = mongo.getDatabase(a.databaseName()).getCollection("server_signing_keys")
                .find(Filters.eq("_id", "current")).first();
        assertThat(stored.getString("key_id")).isEqualTo(a.signingKey().keyId());
        assertThat(stored.getString("public_key")).isEqualTo(a.signingKey().verifyKey().publicKeyBase64());
        byte[] message = "signed by a.test".getBytes();
        assertThat(a.signingKey().verifyKey().verify(message, a.signingKey().sign(message))).isTrue();
    }

    @Test
    void domainsCanBeAddedAtRunTimeAndSurviveARestart() {
        String serverName = "rt" + System.nanoTime() % 1000000 + ".test";
        MatrixTestClient admin = a();
        MatrixTestClient.Response unauthorized = admin.post("/_tim/admin/v1/domains", null, Map.of("server_name", serverName));
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(admin.post("/_tim/admin/v1/domains", "wrong", Map.of("server_name", serverName)).status()).isEqualTo(401);
        TestUser notAdmin = registerA("notadmin");
        assertThat(admin.post("/_tim/admin/v1/domains", notAdmin.accessToken(), Map.of("server_name", serverName)).status())
                .isEqualTo(403);

        MatrixTestClient.Response created = admin.post("/_tim/admin/v1/domains", "test-provisioning-secret",
                Map.of("server_name", serverName, "hosts", List.of("localhost:7443"), "public_base_url", "https://localhost:7443/"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("server_name")).isEqualTo(serverName);
        assertThat(admin.post("/_tim/admin/v1/domains", "test-provisioning-secret", Map.of("server_name", serverName)).status())
                .isEqualTo(409);
        assertThat(admin.post("/_tim/admin/v1/domains", "test-provisioning-secret", Map.of("server_name", "bad name!")).status())
                .isEqualTo(400);

        MatrixTestClient fresh = client("localhost:7443");
        assertThat(fresh.get("/.well-known/matrix/client", null).body().path("m.homeserver").path("base_url").asText())
                .isEqualTo("https://localhost:7443/");
        TestUser user = register(client(serverName), uniqueLocalpart("rt"), false);
        assertThat(user.userId()).endsWith(":" + serverName);
        assertThat(a().get("/_matrix/client/v3/account/whoami", user.accessToken()).status()).isEqualTo(401);

        MatrixTestClient.Response listed = admin.get("/_tim/admin/v1/domains", "test-provisioning-secret");
        assertThat(listed.body().path("domains").findValuesAsText("server_name")).contains(A, B, serverName);
        assertThat(admin.get("/_tim/admin/v1/domains/" + serverName, "test-provisioning-secret").status()).isEqualTo(200);
        assertThat(admin.get("/_tim/admin/v1/domains/nope.test", "test-provisioning-secret").status()).isEqualTo(404);

        // a second registry on the same databases (a restart, or another instance) serves the new domain with its key
        DomainRegistry restarted = new DomainRegistry(mongo, properties, List.of());
        Domain reloaded = restarted.resolveHost("localhost:7443");
        assertThat(reloaded.serverName()).isEqualTo(serverName);
        assertThat(reloaded.signingKey()).isEqualTo(registry.byServerName(serverName).orElseThrow().signingKey());
    }
}

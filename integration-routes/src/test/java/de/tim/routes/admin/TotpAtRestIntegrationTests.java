package de.tim.routes.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import de.tim.routes.RegistrationDatabase;
import de.tim.routes.RegistrationServiceIntegrationTestBase;
import de.tim.routes.Simulators;

/** TOTP secrets at rest: sealed with AES-GCM under the configured key id; plain legacy secrets are sealed on login. */
class TotpAtRestIntegrationTests extends RegistrationServiceIntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery staple";

    @Autowired
    MongoClient mongo;

    @Autowired
    RegistrationDatabase database;

    private MongoCollection<Document> accounts() {
        return mongo.getDatabase(database.database()).getCollection("admin_accounts");
    }

    private HttpResponse<String> login(String username, String secret) {
        return post("/registration/v1/admin/login", JSON.createObjectNode().put("username", username).put("password", PASSWORD)
                .put("totp", Totp.code(secret, Totp.step(Instant.now().getEpochSecond()))).toString(), null);
    }

    @Test
    void theSecretShownAtOnboardingIsStoredOnlySealedWithTheKeyId() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Simulators.shared().seed("""
                {"organizations":[{"id":"totp-%1$s","telematikId":"3-SMC-B-TOTP-%1$s","name":"TOTP %1$s",
                  "professionOid":"1.2.276.0.76.4.50","smcbIdentity":"smcb-totp-%1$s"}]}
                """.formatted(id));
        String nonce = JSON.readTree(post("/registration/v1/onboarding/nonce", null, null).body()).get("nonce").asText();
        HttpResponse<String> onboarded = post("/registration/v1/onboarding/idp", JSON.createObjectNode()
                .put("idToken", Simulators.shared().idToken("smcb-totp-" + id, nonce)).put("username", "totp." + id)
                .put("password", PASSWORD).toString(), null);
        assertThat(onboarded.statusCode()).as(onboarded.body()).isEqualTo(201);
        String secret = JSON.readTree(onboarded.body()).get("totpSecret").asText();

        Document stored = accounts().find(Filters.eq("_id", "totp." + id)).first();
        assertThat(stored).isNotNull();
        assertThat(stored.containsKey("totpSecret")).isFalse();
        Document totp = stored.get("totp", Document.class);
        assertThat(totp.getString("kid")).isEqualTo("test-1");
        assertThat(totp.getString("iv")).isNotBlank();
        assertThat(stored.toJson()).doesNotContain(secret);
        assertThat(login("totp." + id, secret).statusCode()).isEqualTo(200);
    }

    @Test
    void aPlainLegacySecretStillLogsInAndIsSealedThen() {
        String legacySecret = Totp.newSecret();
        String name = "legacy." + UUID.randomUUID().toString().substring(0, 8);
        accounts().insertOne(new Document("_id", name).append("telematikId", "legacy-" + name)
                .append("passwordHash", Passwords.hash(PASSWORD)).append("totpSecret", legacySecret).append("lastTotpStep", -1L));
        HttpResponse<String> login = login(name, legacySecret);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        Document migrated = accounts().find(Filters.eq("_id", name)).first();
        assertThat(migrated.containsKey("totpSecret")).isFalse();
        assertThat(migrated.get("totp", Document.class).getString("kid")).isEqualTo("test-1");
        assertThat(migrated.toJson()).doesNotContain(legacySecret);
    }
}

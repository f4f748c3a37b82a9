package de.tim.matrix.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.id.ServerName;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerKeysTests {

    private static final ServerName SERVER = ServerName.parse("hs.example");
    private static final SigningKey CURRENT = SigningKey.generate("new");
    private static final SigningKey OLD = SigningKey.generate("old");
    private static final long DAY = 86_400_000L;

    private static ObjectNode published(long validUntil) {
        return ServerKeys.publish(SERVER, CURRENT, Map.of(OLD.keyId(), new ServerKeys.OldKey(OLD.verifyKey(), 5 * DAY)),
                validUntil);
    }

    @Test
    void publishedKeysVerifyAndAnswerValidity() {
        ServerKeys keys = ServerKeys.parseAndVerify(published(20 * DAY), SERVER);
        assertThat(keys.verifyKeys()).containsEntry(CURRENT.keyId(), CURRENT.verifyKey());
        assertThat(keys.keyValidAt(CURRENT.keyId(), 9 * DAY, 3 * DAY)).contains(CURRENT.verifyKey());
        assertThat(keys.keyValidAt(CURRENT.keyId(), 11 * DAY, 3 * DAY)).as("seven-day cap").isEmpty();
        assertThat(keys.keyValidAt(CURRENT.keyId(), 15 * DAY, 10 * DAY)).contains(CURRENT.verifyKey());
        assertThat(keys.keyValidAt(CURRENT.keyId(), 21 * DAY, 20 * DAY)).as("valid_until_ts").isEmpty();
        assertThat(keys.keyValidAt(OLD.keyId(), 4 * DAY, 10 * DAY)).contains(OLD.verifyKey());
        assertThat(keys.keyValidAt(OLD.keyId(), 6 * DAY, 10 * DAY)).isEmpty();
        assertThat(keys.keyValidAt("ed25519:unknown", 1, 1)).isEmpty();
    }

    @Test
    void rejectsForeignUnsignedOrTamperedResponses() {
        assertThatThrownBy(() -> ServerKeys.parseAndVerify(published(DAY), ServerName.parse("other.example")))
                .hasMessageContaining("expected");
        ObjectNode unsigned = published(DAY);
        unsigned.remove("signatures");
        assertThatThrownBy(() -> ServerKeys.parseAndVerify(unsigned, SERVER)).hasMessageContaining("not signed");
        ObjectNode tampered = published(DAY);
        tampered.put("valid_until_ts", 99 * DAY);
        assertThatThrownBy(() -> ServerKeys.parseAndVerify(tampered, SERVER)).hasMessageContaining("Invalid signature");
        ObjectNode foreignKey = de.tim.matrix.crypto.JsonSigning.sign(published(DAY), "hs.example", SigningKey.generate("x"));
        assertThatThrownBy(() -> ServerKeys.parseAndVerify(foreignKey, SERVER)).hasMessageContaining("does not list");
    }
}

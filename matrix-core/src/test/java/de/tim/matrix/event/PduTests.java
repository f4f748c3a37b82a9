package de.tim.matrix.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.crypto.UnpaddedBase64;
import de.tim.matrix.id.EventId;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.StrictJson;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PduTests {

    private static final ServerName SERVER = ServerName.parse("hs.example");
    private static final SigningKey KEY = SigningKey.generate("a1");
    private static final KeyLookup KEYS = (server, keyId, ts) ->
            server.equals(SERVER) && keyId.equals(KEY.keyId()) ? Optional.of(KEY.verifyKey()) : Optional.empty();

    private static PduBuilder message(RoomVersion v) {
        return PduBuilder.forVersion(v).roomId(RoomId.parse("!room:hs.example")).sender(UserId.parse("@alice:hs.example"))
                .type("m.room.message").content(StrictJson.parse("{\"body\":\"hello\"}"))
                .prevEvents(List.of(new EventId("$prev"))).authEvents(List.of(new EventId("$create")))
                .depth(4).originServerTs(1_700_000_000_000L);
    }

    @Test
    void builtPduHasAllFieldsAndAHashEventId() {
        Pdu pdu = message(RoomVersion.V11).build(SERVER, KEY);
        ObjectNode json = pdu.json();
        assertThat(json.has("event_id")).isFalse();
        assertThat(json.path("hashes").path("sha256").isTextual()).isTrue();
        assertThat(json.path("signatures").path("hs.example").has("ed25519:a1")).isTrue();
        assertThat(pdu.eventId().isHashFormat()).isTrue();
        assertThat(pdu.eventId().value().substring(1))
                .isEqualTo(UnpaddedBase64.encodeUrlSafe(EventHashing.referenceHash(json, RoomVersion.V11)));
        assertThat(pdu.depth()).isEqualTo(4);
        assertThat(pdu.prevEvents()).containsExactly(new EventId("$prev"));
        assertThat(pdu.isState()).isFalse();
        assertThat(pdu.jsonWithEventId().path("event_id").asText()).isEqualTo(pdu.eventId().value());
    }

    @Test
    void aStoredEventReadBackWithItsKnownIdEqualsTheVerifiedOne() {
        Pdu pdu = message(RoomVersion.V10).build(SERVER, KEY);
        ObjectNode stored = pdu.jsonWithEventId();
        Pdu read = Pdu.fromStorage(stored, RoomVersion.V10, pdu.eventId());
        assertThat(read.eventId()).isEqualTo(pdu.eventId());
        assertThat(read.json()).isEqualTo(pdu.json());
        assertThat(read.json().has("event_id")).isFalse();
        assertThat(read.prevEvents()).isEqualTo(pdu.prevEvents());
        assertThat(read.sender()).isEqualTo(pdu.sender());
        assertThat(read.redacted().eventId()).isEqualTo(pdu.eventId());
    }

    @Test
    void eventIdIgnoresUnsignedAndSurvivesRedaction() {
        Pdu pdu = message(RoomVersion.V10).build(SERVER, KEY);
        ObjectNode withUnsigned = pdu.json();
        withUnsigned.putObject("unsigned").put("age", 12);
        assertThat(Pdu.fromJson(withUnsigned, RoomVersion.V10).eventId()).isEqualTo(pdu.eventId());
        assertThat(pdu.redacted().eventId()).isEqualTo(pdu.eventId());
        assertThat(pdu.redacted().content().isEmpty()).isTrue();
    }

    @Test
    void redactsGoesIntoContentOnlyInV11() {
        EventId target = new EventId("$target");
        Pdu v11 = message(RoomVersion.V11).type("m.room.redaction").content(StrictJson.parse("{}")).redacts(target).build(SERVER, KEY);
        Pdu v10 = message(RoomVersion.V10).type("m.room.redaction").content(StrictJson.parse("{}")).redacts(target).build(SERVER, KEY);
        assertThat(v11.content().path("redacts").asText()).isEqualTo("$target");
        assertThat(v11.json().has("redacts")).isFalse();
        assertThat(v10.json().path("redacts").asText()).isEqualTo("$target");
        assertThat(v11.redacts()).contains(target);
        assertThat(v10.redacts()).contains(target);
    }

    @Test
    void verifierAcceptsRedactsOrDrops() {
        PduVerifier verifier = new PduVerifier(KEYS);
        ObjectNode good = message(RoomVersion.V11).build(SERVER, KEY).json();
        assertThat(verifier.verify(good, RoomVersion.V11).outcome()).isEqualTo(PduVerification.Outcome.ACCEPT);

        ObjectNode changedBody = good.deepCopy();
        ((ObjectNode) changedBody.get("content")).put("body", "evil");
        PduVerification redact = verifier.verify(changedBody, RoomVersion.V11);
        assertThat(redact.outcome()).isEqualTo(PduVerification.Outcome.REDACT);
        assertThat(redact.pdu().orElseThrow().content().isEmpty()).isTrue();
        assertThat(redact.reason()).hasValueSatisfying(r -> assertThat(r).contains("hash"));

        ObjectNode changedDepth = good.deepCopy();
        changedDepth.put("depth", 5);
        assertThat(verifier.verify(changedDepth, RoomVersion.V11).outcome()).isEqualTo(PduVerification.Outcome.DROP);

        ObjectNode foreignSender = message(RoomVersion.V11).sender(UserId.parse("@mallory:evil.example")).build(SERVER, KEY).json();
        assertThat(verifier.verify(foreignSender, RoomVersion.V11).reason()).hasValueSatisfying(r -> assertThat(r).contains("evil.example"));

        ObjectNode noRoom = good.deepCopy();
        noRoom.remove("room_id");
        assertThat(verifier.verify(noRoom, RoomVersion.V11).outcome()).isEqualTo(PduVerification.Outcome.DROP);
        assertThat(verifier.verify(good, RoomVersion.V11, RoomId.parse("!other:hs.example")).outcome())
                .isEqualTo(PduVerification.Outcome.DROP);
    }

    @Test
    void formatChecksEnforceLimits() {
        ObjectNode json = message(RoomVersion.V11).build(SERVER, KEY).json();
        ObjectNode tooManyAuth = json.deepCopy();
        var auth = tooManyAuth.putArray("auth_events");
        for (int i = 0; i < 11; i++) {
            auth.add("$a" + i);
        }
        assertThatThrownBy(() -> Pdu.fromJson(tooManyAuth, RoomVersion.V11)).hasMessageContaining("auth_events");
        ObjectNode big = json.deepCopy();
        ((ObjectNode) big.get("content")).put("body", "x".repeat(70_000));
        assertThatThrownBy(() -> Pdu.fromJson(big, RoomVersion.V11)).hasMessageContaining("65536");
        ObjectNode longType = json.deepCopy();
        longType.put("type", "t".repeat(256));
        assertThatThrownBy(() -> Pdu.fromJson(longType, RoomVersion.V11)).hasMessageContaining("type");
        ObjectNode floatTs = json.deepCopy();
        floatTs.put("origin_server_ts", 1.5);
        assertThatThrownBy(() -> Pdu.fromJson(floatTs, RoomVersion.V11)).hasMessageContaining("origin_server_ts");
    }

    @Test
    void thirdPartyInvitesNeedNoSignatureOfTheSendersServer() {
        PduVerifier verifier = new PduVerifier(KEYS);
        SigningKey otherKey = SigningKey.generate("z");
        ObjectNode invite = PduBuilder.forVersion(RoomVersion.V10).roomId(RoomId.parse("!room:hs.example"))
                .sender(UserId.parse("@carol:other.example")).type("m.room.member").stateKey("@bob:hs.example")
                .content(StrictJson.parse("{\"membership\":\"invite\",\"third_party_invite\":{\"signed\":{}}}"))
                .prevEvents(List.of()).authEvents(List.of()).depth(2).originServerTs(5).build(SERVER, KEY).json();
        assertThat(verifier.verify(invite, RoomVersion.V10).outcome()).isEqualTo(PduVerification.Outcome.ACCEPT);
        ObjectNode plainInvite = invite.deepCopy();
        ((ObjectNode) plainInvite.get("content")).remove("third_party_invite");
        ObjectNode resigned = EventSigning.hashAndSign(plainInvite, RoomVersion.V10, ServerName.parse("other.example"), otherKey);
        assertThat(verifier.verify(resigned, RoomVersion.V10).outcome()).as("other.example's key is unknown")
                .isEqualTo(PduVerification.Outcome.DROP);
    }

    @Test
    void dropsEventIdFromInputSoStoredClientCopiesKeepTheirId() {
        Pdu pdu = message(RoomVersion.V10).build(SERVER, KEY);
        assertThat(Pdu.fromJson(pdu.jsonWithEventId(), RoomVersion.V10).eventId()).isEqualTo(pdu.eventId());
    }

    @Test
    void clientEventShapeCarriesRedactsInBothPlaces() {
        for (RoomVersion v : RoomVersion.values()) {
            Pdu redaction = message(v).type("m.room.redaction").content(StrictJson.parse("{\"reason\":\"spam\"}"))
                    .redacts(new EventId("$t")).build(SERVER, KEY);
            ObjectNode client = redaction.toClientEvent();
            assertThat(client.path("redacts").asText()).isEqualTo("$t");
            assertThat(client.path("content").path("redacts").asText()).isEqualTo("$t");
            assertThat(client.path("event_id").asText()).isEqualTo(redaction.eventId().value());
            assertThat(client.has("signatures") || client.has("auth_events") || client.has("hashes")).isFalse();
            assertThat(client.path("unsigned").isObject()).isTrue();
        }
    }
}

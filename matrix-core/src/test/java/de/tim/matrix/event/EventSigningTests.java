package de.tim.matrix.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.StrictJson;
import org.junit.jupiter.api.Test;

/** The appendix's "Event Signing" test vectors (their redaction rules equal those of v9/v10). */
class EventSigningTests {

    static final SigningKey KEY = SigningKey.fromBase64Seed("1", "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");
    static final ServerName DOMAIN = ServerName.parse("domain");

    @Test
    void signsTheMinimalEventAsInTheAppendix() {
        ObjectNode event = StrictJson.parseObject("""
                {"room_id":"!x:domain","sender":"@a:domain","origin":"domain","origin_server_ts":1000000,
                 "signatures":{},"hashes":{},"type":"X","content":{},"prev_events":[],"auth_events":[],
                 "depth":3,"unsigned":{"age_ts":1000000}}""");
        ObjectNode signed = EventSigning.hashAndSign(event, RoomVersion.V10, DOMAIN, KEY);
        assertThat(signed).isEqualTo(StrictJson.parseObject("""
                {"auth_events":[],"content":{},"depth":3,
                 "hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},
                 "origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain",
                 "sender":"@a:domain",
                 "signatures":{"domain":{"ed25519:1":"KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg"}},
                 "type":"X","unsigned":{"age_ts":1000000}}"""));
        assertThat(EventHashing.hasValidContentHash(signed)).isTrue();
        assertThat(EventSigning.isSignedBy(signed, RoomVersion.V10, DOMAIN, KEY.verifyKey())).isTrue();
    }

    @Test
    void signsTheRedactableEventAsInTheAppendix() {
        ObjectNode event = StrictJson.parseObject("""
                {"content":{"body":"Here is the message content"},"event_id":"$0:domain","origin":"domain",
                 "origin_server_ts":1000000,"type":"m.room.message","room_id":"!r:domain","sender":"@u:domain",
                 "signatures":{},"unsigned":{"age_ts":1000000}}""");
        ObjectNode signed = EventSigning.hashAndSign(event, RoomVersion.V9, DOMAIN, KEY);
        assertThat(signed.path("hashes").path("sha256").asText()).isEqualTo("onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g");
        assertThat(JsonSigning.signatures(signed, "domain")).containsExactlyEntriesOf(java.util.Map.of("ed25519:1",
                "Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA"));
        assertThat(signed.path("content").path("body").asText()).isEqualTo("Here is the message content");
        assertThat(signed.path("unsigned").path("age_ts").asLong()).isEqualTo(1000000);
    }

    @Test
    void signatureSurvivesRedactionButNotTamperingWithEssentialKeys() {
        ObjectNode signed = EventSigning.hashAndSign(StrictJson.parseObject("""
                {"room_id":"!r:domain","sender":"@u:domain","origin_server_ts":1,"type":"m.room.message",
                 "content":{"body":"hi"},"prev_events":[],"auth_events":[],"depth":1}"""), RoomVersion.V11, DOMAIN, KEY);
        ObjectNode redacted = Redaction.redact(signed, RoomVersion.V11);
        assertThat(EventSigning.isSignedBy(redacted, RoomVersion.V11, DOMAIN, KEY.verifyKey())).isTrue();
        ObjectNode tampered = signed.deepCopy();
        tampered.put("depth", 2);
        assertThat(EventSigning.isSignedBy(tampered, RoomVersion.V11, DOMAIN, KEY.verifyKey())).isFalse();
        ObjectNode bodyChanged = signed.deepCopy();
        bodyChanged.putObject("content").put("body", "changed");
        assertThat(EventSigning.isSignedBy(bodyChanged, RoomVersion.V11, DOMAIN, KEY.verifyKey())).isTrue();
        assertThat(EventHashing.hasValidContentHash(bodyChanged)).isFalse();
    }
}

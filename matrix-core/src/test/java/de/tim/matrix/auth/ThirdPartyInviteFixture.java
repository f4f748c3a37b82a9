package de.tim.matrix.auth;

import static de.tim.matrix.auth.TestRoom.ALICE;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.SigningKey;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.json.StrictJson;

/** An m.room.third_party_invite by Alice with token "tok" and an identity server key. */
final class ThirdPartyInviteFixture {

    final TestRoom room;
    final SigningKey identityServerKey = SigningKey.generate("0");

    ThirdPartyInviteFixture(TestRoom room) {
        this.room = room;
        room.accept(room.state(ALICE, EventTypes.THIRD_PARTY_INVITE, "tok",
                "{\"display_name\":\"b...\",\"key_validity_url\":\"https://id.example/v\",\"public_key\":\""
                        + identityServerKey.verifyKey().publicKeyBase64() + "\"}"));
    }

    String signedFor(String mxid) {
        return signedForToken(mxid, "tok");
    }

    String signedForToken(String mxid, String token) {
        ObjectNode signed = StrictJson.parseObject("{\"mxid\":\"" + mxid + "\",\"token\":\"" + token + "\"}");
        return JsonSigning.sign(signed, "id.example", identityServerKey).toString();
    }

    String signedWithWrongKey(String mxid) {
        ObjectNode signed = StrictJson.parseObject("{\"mxid\":\"" + mxid + "\",\"token\":\"tok\"}");
        return JsonSigning.sign(signed, "id.example", SigningKey.generate("0")).toString();
    }

    Pdu invite(String sender, String target, String signedJson) {
        return room.state(sender, EventTypes.MEMBER, target,
                "{\"membership\":\"invite\",\"third_party_invite\":{\"display_name\":\"b...\",\"signed\":" + signedJson + "}}");
    }
}

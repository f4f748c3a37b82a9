package de.tim.matrix.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.UnpaddedBase64;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Auth rule 4.4.1: an invite created from an {@code m.room.third_party_invite}. */
final class ThirdPartyInviteCheck {

    private ThirdPartyInviteCheck() {
    }

    static AuthResult check(Pdu event, AuthState state) {
        String target = event.stateKey().orElseThrow();
        if (EventTypes.BAN.equals(state.membership(target))) {
            return AuthResult.reject("4.4.1.1: target user is banned");
        }
        JsonNode signed = event.content().path("third_party_invite").get("signed");
        if (signed == null || !signed.isObject()) {
            return AuthResult.reject("4.4.1.2: third_party_invite has no signed property");
        }
        JsonNode mxid = signed.get("mxid");
        JsonNode token = signed.get("token");
        if (mxid == null || token == null || !mxid.isTextual() || !token.isTextual()) {
            return AuthResult.reject("4.4.1.3: signed lacks mxid or token");
        }
        if (!mxid.textValue().equals(target)) {
            return AuthResult.reject("4.4.1.4: mxid does not match state_key");
        }
        Optional<Pdu> invite = state.get(StateKey.of(EventTypes.THIRD_PARTY_INVITE, token.textValue()));
        if (invite.isEmpty()) {
            return AuthResult.reject("4.4.1.5: no m.room.third_party_invite for the token");
        }
        if (!invite.get().sender().equals(event.sender())) {
            return AuthResult.reject("4.4.1.6: sender differs from the third-party invite's sender");
        }
        for (byte[] publicKey : publicKeys(invite.get().content())) {
            if (anySignatureMatches((ObjectNode) signed, publicKey)) {
                return AuthResult.allow("4.4.1.7: signed matches a public key of the third-party invite");
            }
        }
        return AuthResult.reject("4.4.1.8: no signature in signed matches the invite's public keys");
    }

    private static List<byte[]> publicKeys(JsonNode content) {
        List<byte[]> keys = new ArrayList<>();
        addKey(content.get("public_key"), keys);
        JsonNode list = content.get("public_keys");
        if (list != null && list.isArray()) {
            list.forEach(k -> addKey(k.get("public_key"), keys));
        }
        return keys;
    }

    private static void addKey(JsonNode node, List<byte[]> keys) {
        if (node == null || !node.isTextual()) {
            return;
        }
        String text = node.textValue();
        try {
            byte[] key = text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? UnpaddedBase64.decodeUrlSafe(text) : UnpaddedBase64.decode(text);
            if (key.length == 32) {
                keys.add(key);
            }
        } catch (IllegalArgumentException e) {
            // not a usable key; ignored like any other non-matching key
        }
    }

    private static boolean anySignatureMatches(ObjectNode signed, byte[] publicKey) {
        JsonNode signatures = signed.path("signatures");
        if (!signatures.isObject()) {
            return false;
        }
        for (var entity : signatures.properties()) {
            if (!entity.getValue().isObject()) {
                continue;
            }
            for (var sig : entity.getValue().properties()) {
                if (JsonSigning.verify(signed, entity.getKey(), new VerifyKey(sig.getKey(), publicKey))) {
                    return true;
                }
            }
        }
        return false;
    }
}

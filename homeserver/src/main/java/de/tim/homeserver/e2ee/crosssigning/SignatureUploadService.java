package de.tim.homeserver.e2ee.crosssigning;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.SignedKeys;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.homeserver.e2ee.keys.KeysService;
import de.tim.matrix.crypto.JsonSigning;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/**
 * {@code POST /keys/signatures/upload}: each signature is checked on its own; accepted ones are stored,
 * rejected ones are reported in {@code failures}. Accepted: the user's own device keys signed by their
 * self-signing key, their own master key signed by one of their devices, and another local user's
 * master key signed by the user's user-signing key. The signed object must equal the stored key.
 */
@Service
public class SignatureUploadService {

    private static final int MAX_KEYS = 1000;

    private final CrossSigningService crossSigning;
    private final KeysService keys;
    private final DeviceListService deviceLists;

    SignatureUploadService(CrossSigningService crossSigning, KeysService keys, DeviceListService deviceLists) {
        this.crossSigning = crossSigning;
        this.keys = keys;
        this.deviceLists = deviceLists;
    }

    private record Failure(String errcode, String error) {
    }

    public ObjectNode upload(Requester requester, JsonNode body) {
        int total = 0;
        for (Map.Entry<String, JsonNode> user : body.properties()) {
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson("Signatures must map user ids to objects");
            }
            total += user.getValue().size();
        }
        if (total > MAX_KEYS) {
            throw MatrixException.invalidParam("Too many keys");
        }
        Domain domain = requester.domain();
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode failures = response.putObject("failures");
        Set<String> changedUsers = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> user : body.properties()) {
            for (Map.Entry<String, JsonNode> key : user.getValue().properties()) {
                Failure failure = key.getValue().isObject()
                        ? apply(domain, requester.userId(), user.getKey(), key.getKey(), (ObjectNode) key.getValue(), changedUsers)
                        : new Failure("M_BAD_JSON", "The signed key must be an object");
                if (failure != null) {
                    ObjectNode forUser = failures.has(user.getKey()) ? (ObjectNode) failures.get(user.getKey())
                            : failures.putObject(user.getKey());
                    forUser.putObject(key.getKey()).put("errcode", failure.errcode()).put("error", failure.error());
                }
            }
        }
        changedUsers.forEach(u -> deviceLists.changed(domain, u));
        return response;
    }

    private Failure apply(Domain domain, String signer, String targetUser, String keyId, ObjectNode uploaded, Set<String> changed) {
        if (!domain.isLocal(targetUser)) {
            return new Failure("M_UNRECOGNIZED", "Signatures on keys of other servers are not supported");
        }
        VerifyKey signingKey;
        ObjectNode stored;
        String targetKey = keyId;
        if (signer.equals(targetUser)) {
            ObjectNode master = crossSigning.storedKey(domain, targetUser, CrossSigningService.MASTER);
            if (master != null && keyId.equals(SignedKeys.singlePublicKey(master))) {
                stored = master;
                signingKey = deviceKeyOfSignature(domain, signer, uploaded);
            } else {
                stored = keys.deviceKeys(domain, targetUser, keyId);
                signingKey = crossSigning.verifyKey(domain, signer, CrossSigningService.SELF_SIGNING);
                if (stored != null && signingKey == null) {
                    return new Failure("M_INVALID_SIGNATURE", "No self-signing key uploaded");
                }
            }
        } else {
            ObjectNode master = crossSigning.storedKey(domain, targetUser, CrossSigningService.MASTER);
            stored = master != null && keyId.equals(SignedKeys.singlePublicKey(master)) ? master : null;
            signingKey = crossSigning.verifyKey(domain, signer, CrossSigningService.USER_SIGNING);
            if (stored != null && signingKey == null) {
                return new Failure("M_INVALID_SIGNATURE", "No user-signing key uploaded");
            }
        }
        if (stored == null) {
            return new Failure("M_NOT_FOUND", "Unknown key");
        }
        if (!SignedKeys.unsignedContent(stored).equals(SignedKeys.unsignedContent(uploaded))) {
            return new Failure("M_INVALID_SIGNATURE", "The signed object differs from the stored key");
        }
        if (signingKey == null || !SignedKeys.signedBy(uploaded, signer, signingKey)) {
            return new Failure("M_INVALID_SIGNATURE", "Invalid signature");
        }
        String signature = JsonSigning.signatures(uploaded, signer).get(signingKey.keyId());
        crossSigning.storeSignature(domain, targetUser, targetKey, signer, signingKey.keyId(), signature);
        // a user-signing signature is only visible to the signer: their own device list view changed
        changed.add(signer.equals(targetUser) ? targetUser : signer);
        return null;
    }

    /** The ed25519 key of the signer's device that signed their master key ({@code ed25519:<device id>}), or null. */
    private VerifyKey deviceKeyOfSignature(Domain domain, String signer, ObjectNode uploaded) {
        for (String keyId : JsonSigning.signatures(uploaded, signer).keySet()) {
            if (!keyId.startsWith("ed25519:")) {
                continue;
            }
            String deviceId = keyId.substring("ed25519:".length());
            ObjectNode deviceKeys = keys.deviceKeys(domain, signer, deviceId);
            if (deviceKeys != null) {
                VerifyKey key = SignedKeys.ed25519(deviceKeys, deviceId);
                if (key != null && SignedKeys.signedBy(uploaded, signer, key)) {
                    return key;
                }
            }
        }
        return null;
    }
}

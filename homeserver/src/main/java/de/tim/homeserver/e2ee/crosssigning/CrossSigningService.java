package de.tim.homeserver.e2ee.crosssigning;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.auth.UiaService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.JsonText;
import de.tim.homeserver.e2ee.SignedKeys;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.matrix.crypto.VerifyKey;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Cross-signing keys ({@code POST /keys/device_signing/upload}) and their presentation with stored
 * signatures for {@code /keys/query}.
 */
@Service
public class CrossSigningService {

    public static final String MASTER = "master";
    public static final String SELF_SIGNING = "self_signing";
    public static final String USER_SIGNING = "user_signing";

    private final CrossSigningRepository repository;
    private final DeviceListService deviceLists;
    private final UiaService uia;

    CrossSigningService(CrossSigningRepository repository, DeviceListService deviceLists, UiaService uia) {
        this.repository = repository;
        this.deviceLists = deviceLists;
        this.uia = uia;
    }

    /**
     * Validates and stores the uploaded keys. UIA (v1.11) is required unless no master key exists yet or
     * the request repeats exactly the stored keys. Self-signing and user-signing keys must be signed by
     * the (new or stored) master key.
     */
    public void upload(Requester requester, JsonNode body) {
        Domain domain = requester.domain();
        String userId = requester.userId();
        Map<String, ObjectNode> uploaded = new LinkedHashMap<>();
        for (String usage : new String[] {MASTER, SELF_SIGNING, USER_SIGNING}) {
            JsonNode key = body.get(usage + "_key");
            if (key == null || key.isNull()) {
                continue;
            }
            uploaded.put(usage, validKey(key, userId, usage));
        }
        Document storedMaster = repository.find(domain.database(), userId, MASTER);
        boolean onlyRepeats = uploaded.entrySet().stream().allMatch(e -> sameKey(domain, userId, e.getKey(), e.getValue()));
        if (storedMaster != null && !(onlyRepeats && uploaded.containsKey(MASTER))) {
            uia.authenticate(requester, body.get("auth"), "device_signing_upload");
        }
        ObjectNode master = uploaded.get(MASTER);
        if (master == null && storedMaster == null && !uploaded.isEmpty()) {
            throw MatrixException.invalidParam("A master key must be uploaded first");
        }
        String masterPub = master != null ? SignedKeys.singlePublicKey(master) : storedMaster == null ? null
                : storedMaster.getString("public_key");
        for (String usage : new String[] {SELF_SIGNING, USER_SIGNING}) {
            ObjectNode key = uploaded.get(usage);
            if (key != null && !SignedKeys.signedBy(key, userId, VerifyKey.fromBase64("ed25519:" + masterPub, masterPub))) {
                throw new MatrixException(400, "M_INVALID_SIGNATURE", "The " + usage + " key is not signed by the master key");
            }
        }
        if (uploaded.isEmpty() || onlyRepeats) {
            return;
        }
        boolean masterChanged = master != null && (storedMaster == null || !masterPub.equals(storedMaster.getString("public_key")));
        if (masterChanged) {
            // the old subordinate keys were certified by the replaced master; they are not trusted any more
            for (String usage : new String[] {SELF_SIGNING, USER_SIGNING}) {
                if (!uploaded.containsKey(usage)) {
                    repository.delete(domain.database(), userId, usage);
                }
            }
            if (storedMaster != null) {
                repository.deleteSignatures(domain.database(), userId, storedMaster.getString("public_key"));
            }
        }
        // master first: the subordinate keys' signatures are checked against it on read
        for (String usage : new String[] {MASTER, SELF_SIGNING, USER_SIGNING}) {
            ObjectNode key = uploaded.get(usage);
            if (key != null) {
                repository.put(domain.database(), userId, usage, SignedKeys.singlePublicKey(key), JsonText.write(key));
            }
        }
        deviceLists.changed(domain, userId);
    }

    private boolean sameKey(Domain domain, String userId, String usage, ObjectNode key) {
        Document stored = repository.find(domain.database(), userId, usage);
        return stored != null && JsonText.readObject(stored.getString("key")).equals(key);
    }

    private static ObjectNode validKey(JsonNode key, String userId, String usage) {
        if (!key.isObject()) {
            throw MatrixException.badJson(usage + "_key must be an object");
        }
        if (!userId.equals(key.path("user_id").asText(null))) {
            throw MatrixException.invalidParam(usage + "_key: user_id must be the requesting user");
        }
        JsonNode usages = key.path("usage");
        boolean hasUsage = false;
        if (usages.isArray()) {
            for (JsonNode u : usages) {
                hasUsage |= usage.equals(u.asText());
            }
        }
        if (!hasUsage) {
            throw MatrixException.invalidParam(usage + "_key: usage must contain " + usage);
        }
        if (SignedKeys.singlePublicKey(key) == null) {
            throw MatrixException.invalidParam(usage + "_key: keys must hold exactly one ed25519 key named by its public key");
        }
        if (key.has("signatures") && !key.get("signatures").isObject()) {
            throw MatrixException.badJson(usage + "_key: signatures must be an object");
        }
        return (ObjectNode) key;
    }

    /** The stored key with the signatures uploaded later that {@code viewer} may see, or null. */
    public ObjectNode key(Domain domain, String userId, String usage, String viewer) {
        Document stored = repository.find(domain.database(), userId, usage);
        if (stored == null) {
            return null;
        }
        ObjectNode key = JsonText.readObject(stored.getString("key"));
        for (Document s : repository.signatures(domain.database(), userId, stored.getString("public_key"))) {
            String signer = s.getString("signer_user");
            // signatures by other users' user-signing keys are only shown to that other user
            if (signer.equals(userId) || signer.equals(viewer)) {
                SignedKeys.addSignature(key, signer, s.getString("signer_key"), s.getString("signature"));
            }
        }
        return key;
    }

    /** The public key of the user's key of this usage, or null. */
    public VerifyKey verifyKey(Domain domain, String userId, String usage) {
        Document stored = repository.find(domain.database(), userId, usage);
        return stored == null ? null : VerifyKey.fromBase64("ed25519:" + stored.getString("public_key"), stored.getString("public_key"));
    }

    /** The stored key object without later signatures, or null. */
    public ObjectNode storedKey(Domain domain, String userId, String usage) {
        Document stored = repository.find(domain.database(), userId, usage);
        return stored == null ? null : JsonText.readObject(stored.getString("key"));
    }

    /** Signatures uploaded for a target key (device id or cross-signing public key), for merging into device keys. */
    public void addStoredSignatures(Domain domain, String targetUser, String targetKey, ObjectNode object) {
        for (Document s : repository.signatures(domain.database(), targetUser, targetKey)) {
            SignedKeys.addSignature(object, s.getString("signer_user"), s.getString("signer_key"), s.getString("signature"));
        }
    }

    /** Stores a verified signature (by {@code /keys/signatures/upload}). */
    void storeSignature(Domain domain, String targetUser, String targetKey, String signerUser, String signerKey, String signature) {
        repository.putSignature(domain.database(), targetUser, targetKey, signerUser, signerKey, signature);
    }

    /** Drops signatures on a deleted device. */
    public void deviceDeleted(Domain domain, String userId, String deviceId) {
        repository.deleteSignatures(domain.database(), userId, deviceId);
    }

    /** Drops the cross-signing keys of a deactivated user; room partners see the change. */
    public void userDeactivated(Domain domain, String userId) {
        repository.deleteUser(domain.database(), userId);
        deviceLists.changed(domain, userId);
    }
}

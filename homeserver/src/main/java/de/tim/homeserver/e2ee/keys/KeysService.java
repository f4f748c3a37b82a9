package de.tim.homeserver.e2ee.keys;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.device.Device;
import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.JsonText;
import de.tim.homeserver.e2ee.SignedKeys;
import de.tim.homeserver.e2ee.crosssigning.CrossSigningService;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Device keys, one-time keys and fallback keys of local devices: upload, the local part of
 * {@code /keys/query} and {@code /keys/claim}, counts for sync.
 */
@Service
public class KeysService {

    /** Always reported in {@code one_time_key_counts}, as clients expect it. */
    static final String SIGNED_CURVE25519 = "signed_curve25519";
    private static final int MAX_KEYS_PER_UPLOAD = 1000;
    private static final int CLAIM_CANDIDATES = 5;
    private static final int LOCK_STRIPES = 64;

    private final DeviceKeysRepository repository;
    private final DeviceListService deviceLists;
    private final CrossSigningService crossSigning;
    private final DeviceService devices;
    /**
     * Claims of this instance are serialised per device: the wire server does not make a delete of one
     * document atomic under concurrent callers; on MongoDB the {@code deleteOne} by id decides between
     * instances (only one caller sees {@code deletedCount == 1}).
     */
    private final Lock[] claimLocks = new Lock[LOCK_STRIPES];

    KeysService(DeviceKeysRepository repository, DeviceListService deviceLists, CrossSigningService crossSigning,
            DeviceService devices) {
        this.repository = repository;
        this.deviceLists = deviceLists;
        this.crossSigning = crossSigning;
        this.devices = devices;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            claimLocks[i] = new ReentrantLock();
        }
    }

    /** {@code POST /keys/upload}; returns {@code one_time_key_counts}. */
    public Map<String, Integer> upload(Requester requester, JsonNode body) {
        Domain domain = requester.domain();
        String userId = requester.userId();
        String deviceId = requester.deviceId();
        JsonNode deviceKeys = body.get("device_keys");
        ObjectNode validDeviceKeys = deviceKeys == null || deviceKeys.isNull() ? null : validDeviceKeys(deviceKeys, userId, deviceId);
        Map<String, JsonNode> oneTimeKeys = keyMap(body.get("one_time_keys"), "one_time_keys");
        Map<String, JsonNode> fallbackKeys = keyMap(body.get("fallback_keys"), "fallback_keys");
        // validate everything before the first write
        for (Map.Entry<String, JsonNode> e : oneTimeKeys.entrySet()) {
            String[] id = keyId(e.getKey(), "one_time_keys");
            Document existing = repository.oneTimeKey(domain.database(), userId, deviceId, id[0], id[1]);
            if (existing != null && !parse(existing.getString("key")).equals(e.getValue())) {
                throw MatrixException.invalidParam("One-time key " + e.getKey() + " already exists with different content");
            }
        }
        fallbackKeys.keySet().forEach(k -> keyId(k, "fallback_keys"));

        if (validDeviceKeys != null) {
            Document stored = repository.deviceKeys(domain.database(), userId, deviceId);
            if (stored == null || !JsonText.readObject(stored.getString("keys")).equals(validDeviceKeys)) {
                repository.putDeviceKeys(domain.database(), userId, deviceId, JsonText.write(validDeviceKeys));
                deviceLists.changed(domain, userId);
            }
        }
        for (Map.Entry<String, JsonNode> e : oneTimeKeys.entrySet()) {
            String[] id = keyId(e.getKey(), "one_time_keys");
            repository.insertOneTimeKey(domain.database(), userId, deviceId, id[0], id[1], JsonText.write(e.getValue()));
        }
        for (Map.Entry<String, JsonNode> e : fallbackKeys.entrySet()) {
            String[] id = keyId(e.getKey(), "fallback_keys");
            Document existing = repository.fallbackKey(domain.database(), userId, deviceId, id[0]);
            if (existing == null || !id[1].equals(existing.getString("key_id"))) {
                repository.putFallbackKey(domain.database(), userId, deviceId, id[0], id[1], JsonText.write(e.getValue()));
            }
        }
        return oneTimeKeyCounts(domain, userId, deviceId);
    }

    private static ObjectNode validDeviceKeys(JsonNode keys, String userId, String deviceId) {
        if (!keys.isObject()) {
            throw MatrixException.badJson("device_keys must be an object");
        }
        if (!userId.equals(keys.path("user_id").asText(null)) || !deviceId.equals(keys.path("device_id").asText(null))) {
            throw MatrixException.invalidParam("device_keys: user_id and device_id must be those of the requesting device");
        }
        JsonNode algorithms = keys.path("algorithms");
        if (!algorithms.isArray() || algorithms.isEmpty()) {
            throw MatrixException.badJson("device_keys.algorithms must be a non-empty array");
        }
        for (JsonNode a : algorithms) {
            if (!a.isTextual()) {
                throw MatrixException.badJson("device_keys.algorithms must hold strings");
            }
        }
        JsonNode keyMap = keys.path("keys");
        if (!keyMap.isObject()) {
            throw MatrixException.badJson("device_keys.keys must be an object");
        }
        for (Map.Entry<String, JsonNode> e : keyMap.properties()) {
            if (!e.getValue().isTextual()) {
                throw MatrixException.badJson("device_keys.keys must map key ids to strings");
            }
        }
        if (!keys.path("signatures").isObject()) {
            throw MatrixException.badJson("device_keys.signatures must be an object");
        }
        if (!SignedKeys.signedBy((ObjectNode) keys, userId, SignedKeys.ed25519(keys, deviceId))) {
            throw new MatrixException(400, "M_INVALID_SIGNATURE", "device_keys are not signed by the device's ed25519 key");
        }
        ObjectNode copy = (ObjectNode) keys.deepCopy();
        copy.remove("unsigned");
        return copy;
    }

    private static Map<String, JsonNode> keyMap(JsonNode node, String field) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw MatrixException.badJson(field + " must be an object");
        }
        if (node.size() > MAX_KEYS_PER_UPLOAD) {
            throw MatrixException.invalidParam("Too many " + field);
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode key = e.getValue();
            boolean keyObject = key.isObject() && key.path("key").isTextual() && key.path("signatures").isObject();
            if (!key.isTextual() && !keyObject) {
                throw MatrixException.badJson(field + " values must be keys or objects with key and signatures");
            }
            result.put(e.getKey(), e.getValue());
        }
        return result;
    }

    /** {@code <algorithm>:<key id>} split in two; 400 otherwise. */
    private static String[] keyId(String id, String field) {
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            throw MatrixException.badJson(field + ": key ids must be <algorithm>:<key id>");
        }
        return new String[] {id.substring(0, colon), id.substring(colon + 1)};
    }

    public Map<String, Integer> oneTimeKeyCounts(Domain domain, String userId, String deviceId) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put(SIGNED_CURVE25519, 0);
        counts.putAll(repository.oneTimeKeyCounts(domain.database(), userId, deviceId));
        return counts;
    }

    public List<String> unusedFallbackKeyTypes(Domain domain, String userId, String deviceId) {
        return repository.unusedFallbackAlgorithms(domain.database(), userId, deviceId);
    }

    /** Device keys of the local user's devices ({@code wanted} empty: all), with display names and signatures. */
    public ObjectNode queryDevices(Domain domain, String userId, List<String> wanted) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        Map<String, Device> known = new LinkedHashMap<>();
        for (Device d : devices.list(domain, userId)) {
            known.put(d.deviceId(), d);
        }
        for (Document doc : repository.deviceKeys(domain.database(), userId)) {
            String deviceId = doc.getString("device_id");
            Device device = known.get(deviceId);
            if (device == null || (!wanted.isEmpty() && !wanted.contains(deviceId))) {
                continue;
            }
            ObjectNode keys = JsonText.readObject(doc.getString("keys"));
            crossSigning.addStoredSignatures(domain, userId, deviceId, keys);
            if (device.displayName() != null) {
                keys.putObject("unsigned").put("device_display_name", device.displayName());
            }
            result.set(deviceId, keys);
        }
        return result;
    }

    /** The stored device keys (without later signatures), or null. */
    public ObjectNode deviceKeys(Domain domain, String userId, String deviceId) {
        Document doc = repository.deviceKeys(domain.database(), userId, deviceId);
        return doc == null ? null : JsonText.readObject(doc.getString("keys"));
    }

    /**
     * Claims one key of the device: an unclaimed one-time key (removed, so never handed out twice), else
     * the fallback key (marked used, may be handed out again). Null if the device has neither.
     */
    public Map.Entry<String, JsonNode> claim(Domain domain, String userId, String deviceId, String algorithm) {
        Lock lock = claimLocks[Math.floorMod((userId + "\n" + deviceId).hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            while (true) {
                List<Document> candidates = repository.oneTimeKeyCandidates(domain.database(), userId, deviceId, algorithm,
                        CLAIM_CANDIDATES);
                if (candidates.isEmpty()) {
                    break;
                }
                for (Document c : candidates) {
                    if (repository.deleteOneTimeKey(domain.database(), c.get("_id"))) {
                        return Map.entry(algorithm + ":" + c.getString("key_id"), parse(c.getString("key")));
                    }
                }
            }
            Document fallback = repository.fallbackKey(domain.database(), userId, deviceId, algorithm);
            if (fallback == null) {
                return null;
            }
            if (!fallback.getBoolean("used", false)) {
                repository.markFallbackUsed(domain.database(), fallback.get("_id"));
            }
            return Map.entry(algorithm + ":" + fallback.getString("key_id"), parse(fallback.getString("key")));
        } finally {
            lock.unlock();
        }
    }

    private static JsonNode parse(String json) {
        return JsonText.readObject("{\"k\":" + json + "}").get("k");
    }

    /** Drops every key of a deleted device. */
    public void deviceDeleted(Domain domain, String userId, String deviceId) {
        repository.deleteDevice(domain.database(), userId, deviceId);
    }
}

package de.tim.homeserver.federation.e2ee;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.keys.KeyQueryService;
import de.tim.homeserver.e2ee.crosssigning.CrossSigningService;
import de.tim.homeserver.e2ee.keys.KeysService;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/**
 * What other servers may learn about our users' keys ({@code /_matrix/federation/v1/user/*}): device keys
 * with the signatures uploaded for them, master and self-signing keys (never user-signing keys, and never
 * signatures by another user's user-signing key), display names only with {@code device-display-names}.
 * Only our own, active users; the same limits as the client API (≤ 1000 users per request).
 */
@Service
public class LocalUserKeys {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_USERS = 1000;

    private final KeysService keys;
    private final CrossSigningService crossSigning;
    private final UserService users;
    private final DeviceListAnnouncementRepository announcements;
    private final FederationE2eeProperties properties;

    LocalUserKeys(KeysService keys, CrossSigningService crossSigning, UserService users,
            DeviceListAnnouncementRepository announcements, FederationE2eeProperties properties) {
        this.keys = keys;
        this.crossSigning = crossSigning;
        this.users = users;
        this.announcements = announcements;
        this.properties = properties;
    }

    /** {@code GET /user/devices/{userId}}. */
    public ObjectNode devices(Domain domain, String userId) {
        MatrixIds.parseUserId(userId);
        if (!domain.isLocal(userId)) {
            throw MatrixException.invalidParam("User is not local to this server");
        }
        if (!active(domain, userId)) {
            throw MatrixException.notFound("Unknown user");
        }
        // the stream id first: changes after it are announced by EDUs the receiver applies on top
        long streamId = announcements.find(domain.database(), userId).streamId();
        ObjectNode response = F.objectNode().put("user_id", userId).put("stream_id", streamId);
        ArrayNode devices = response.putArray("devices");
        deviceKeys(domain, userId, List.of()).properties().forEach(d -> {
            ObjectNode device = F.objectNode().put("device_id", d.getKey());
            JsonNode name = d.getValue().path("unsigned").path("device_display_name");
            if (name.isTextual()) {
                device.put("device_display_name", name.textValue());
            }
            device.set("keys", d.getValue());
            devices.add(device);
        });
        response.setAll(signingKeys(domain, userId));
        return response;
    }

    /** {@code POST /user/keys/query}: users of other servers and unknown users are left out. */
    public ObjectNode query(Domain domain, JsonNode body) {
        JsonNode wanted = body.get("device_keys");
        if (wanted == null || !wanted.isObject()) {
            throw MatrixException.badJson("device_keys must be an object");
        }
        if (wanted.size() > MAX_USERS) {
            throw MatrixException.invalidParam("Too many users");
        }
        ObjectNode response = F.objectNode();
        ObjectNode deviceKeys = response.putObject("device_keys");
        ObjectNode masterKeys = response.putObject("master_keys");
        ObjectNode selfSigningKeys = response.putObject("self_signing_keys");
        for (Map.Entry<String, JsonNode> e : wanted.properties()) {
            List<String> devices = KeyQueryService.deviceList(e.getValue());
            String userId = e.getKey();
            if (!isLocalUserId(domain, userId) || !active(domain, userId)) {
                continue;
            }
            deviceKeys.set(userId, deviceKeys(domain, userId, devices));
            putKey(masterKeys, userId, crossSigning.key(domain, userId, CrossSigningService.MASTER, null));
            putKey(selfSigningKeys, userId, crossSigning.key(domain, userId, CrossSigningService.SELF_SIGNING, null));
        }
        return response;
    }

    /** {@code POST /user/keys/claim}: one key per requested device of our users. */
    public ObjectNode claim(Domain domain, JsonNode body) {
        JsonNode wanted = body.get("one_time_keys");
        if (wanted == null || !wanted.isObject()) {
            throw MatrixException.badJson("one_time_keys must be an object");
        }
        if (wanted.size() > MAX_USERS) {
            throw MatrixException.invalidParam("Too many users");
        }
        for (Map.Entry<String, JsonNode> user : wanted.properties()) {
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson("one_time_keys values must be objects");
            }
            for (Map.Entry<String, JsonNode> device : user.getValue().properties()) {
                if (!device.getValue().isTextual()) {
                    throw MatrixException.badJson("one_time_keys must map device ids to algorithms");
                }
            }
        }
        ObjectNode response = F.objectNode();
        ObjectNode claimed = response.putObject("one_time_keys");
        for (Map.Entry<String, JsonNode> user : wanted.properties()) {
            String userId = user.getKey();
            if (!isLocalUserId(domain, userId) || !active(domain, userId)) {
                continue;
            }
            for (Map.Entry<String, JsonNode> device : user.getValue().properties()) {
                Map.Entry<String, JsonNode> key = keys.claim(domain, userId, device.getKey(), device.getValue().textValue());
                if (key != null) {
                    ObjectNode forUser = claimed.has(userId) ? (ObjectNode) claimed.get(userId) : claimed.putObject(userId);
                    forUser.putObject(device.getKey()).set(key.getKey(), key.getValue());
                }
            }
        }
        return response;
    }

    /** Device keys of the user's devices as other servers see them ({@code wanted} empty: all). */
    ObjectNode deviceKeys(Domain domain, String userId, List<String> wanted) {
        ObjectNode devices = keys.queryDevices(domain, userId, wanted);
        if (!properties.deviceDisplayNames()) {
            devices.properties().forEach(d -> {
                if (d.getValue() instanceof ObjectNode device && device.get("unsigned") instanceof ObjectNode unsigned) {
                    unsigned.remove("device_display_name");
                    if (unsigned.isEmpty()) {
                        device.remove("unsigned");
                    }
                }
            });
        }
        return devices;
    }

    /** Master and self-signing keys as other servers see them (null members when absent). */
    ObjectNode signingKeys(Domain domain, String userId) {
        ObjectNode result = F.objectNode();
        putKey(result, "master_key", crossSigning.key(domain, userId, CrossSigningService.MASTER, null));
        putKey(result, "self_signing_key", crossSigning.key(domain, userId, CrossSigningService.SELF_SIGNING, null));
        return result;
    }

    private boolean active(Domain domain, String userId) {
        return users.find(domain, userId).filter(u -> !u.deactivated()).isPresent();
    }

    private static boolean isLocalUserId(Domain domain, String userId) {
        try {
            MatrixIds.parseUserId(userId);
        } catch (MatrixException e) {
            return false;
        }
        return domain.isLocal(userId);
    }

    private static void putKey(ObjectNode section, String name, ObjectNode key) {
        if (key != null) {
            section.set(name, key);
        }
    }
}

package de.tim.homeserver.federation.e2ee;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.JsonText;
import de.tim.homeserver.e2ee.RemoteE2ee;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.edu.ReliableEduSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * {@link RemoteE2ee} over federation. Key queries are answered from the device list cache for users sharing a
 * room with ours ({@link RemoteDeviceLists}); the others go to the remote server's {@code user/keys/query} with
 * {@code remote-query-timeout} (a failure puts the server into {@code failures}). Claims always go to the
 * remote server. To-device messages are queued as {@code m.direct_to_device} EDUs for reliable delivery
 * ({@link ReliableEduSender}), split so that one EDU stays small.
 */
@Service
public class FederatedE2ee implements RemoteE2ee {

    private static final Logger log = LoggerFactory.getLogger(FederatedE2ee.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Message contents per {@code m.direct_to_device} EDU, in characters of JSON. */
    static final int MAX_EDU_CHARS = 64 * 1024;

    private final FederationClient client;
    private final RemoteDeviceLists deviceLists;
    private final ReliableEduSender edus;
    private final FederationE2eeProperties properties;

    FederatedE2ee(FederationClient client, RemoteDeviceLists deviceLists, ReliableEduSender edus,
            FederationE2eeProperties properties) {
        this.client = client;
        this.deviceLists = deviceLists;
        this.edus = edus;
        this.properties = properties;
    }

    @Override
    public Optional<ObjectNode> queryKeys(Domain domain, String server, Map<String, JsonNode> deviceKeys) {
        ObjectNode response = F.objectNode();
        response.putObject("device_keys");
        response.putObject("master_keys");
        response.putObject("self_signing_keys");
        Map<String, JsonNode> missing = new LinkedHashMap<>();
        deviceKeys.forEach((userId, wanted) -> {
            RemoteDeviceCacheRepository.Cached cached = deviceLists.cached(domain, userId);
            if (cached != null) {
                RemoteDeviceLists.answer(cached, deviceIds(wanted), response);
            } else {
                missing.put(userId, wanted);
            }
        });
        if (missing.isEmpty()) {
            return Optional.of(response);
        }
        ObjectNode body = F.objectNode();
        ObjectNode wantedNode = body.putObject("device_keys");
        missing.forEach(wantedNode::set);
        JsonNode answer;
        try {
            answer = client.send(domain, server, "POST", "/_matrix/federation/v1/user/keys/query", body,
                    properties.remoteQueryTimeout());
        } catch (FederationException e) {
            log.debug("Key query to a remote server failed: {}", e.getMessage());
            return Optional.empty();
        }
        missing.forEach((userId, wanted) -> {
            ObjectNode devices = F.objectNode();
            answer.path("device_keys").path(userId).properties().forEach(d -> {
                JsonNode keys = d.getValue();
                if (keys.isObject() && userId.equals(keys.path("user_id").asText()) && d.getKey().equals(keys.path("device_id").asText())) {
                    devices.set(d.getKey(), keys);
                }
            });
            ObjectNode master = ownKey(answer.path("master_keys").path(userId), userId);
            ObjectNode selfSigning = ownKey(answer.path("self_signing_keys").path(userId), userId);
            if (answer.path("device_keys").has(userId)) {
                ((ObjectNode) response.get("device_keys")).set(userId, devices);
                if (deviceIds(wanted).isEmpty()) {
                    deviceLists.cacheQueried(domain, userId, devices, master, selfSigning);
                }
            }
            if (master != null) {
                ((ObjectNode) response.get("master_keys")).set(userId, master);
            }
            if (selfSigning != null) {
                ((ObjectNode) response.get("self_signing_keys")).set(userId, selfSigning);
            }
        });
        return Optional.of(response);
    }

    private static ObjectNode ownKey(JsonNode key, String userId) {
        return key.isObject() && userId.equals(key.path("user_id").asText()) ? (ObjectNode) key : null;
    }

    @Override
    public Optional<ObjectNode> claimKeys(Domain domain, String server, Map<String, Map<String, String>> oneTimeKeys) {
        ObjectNode body = F.objectNode();
        ObjectNode wanted = body.putObject("one_time_keys");
        oneTimeKeys.forEach((userId, devices) -> {
            ObjectNode forUser = wanted.putObject(userId);
            devices.forEach(forUser::put);
        });
        try {
            JsonNode answer = client.send(domain, server, "POST", "/_matrix/federation/v1/user/keys/claim", body,
                    properties.remoteQueryTimeout());
            ObjectNode response = F.objectNode();
            ObjectNode claimed = response.putObject("one_time_keys");
            answer.path("one_time_keys").properties().forEach(u -> {
                if (oneTimeKeys.containsKey(u.getKey()) && u.getValue().isObject()) {
                    claimed.set(u.getKey(), u.getValue());
                }
            });
            return Optional.of(response);
        } catch (FederationException e) {
            log.debug("Key claim to a remote server failed: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public boolean sendToDevice(Domain domain, String server, String sender, String type, String messageId,
            Map<String, Map<String, JsonNode>> messages) {
        List<ObjectNode> chunks = chunks(messages, MAX_EDU_CHARS);
        for (int i = 0; i < chunks.size(); i++) {
            String id = chunks.size() == 1 ? messageId : messageId + "/" + i;
            ObjectNode content = F.objectNode().put("sender", sender).put("type", type).put("message_id", id);
            content.set("messages", chunks.get(i));
            edus.enqueue(domain, server, "td\n" + sender + "\n" + id, "m.direct_to_device", content);
        }
        return true;
    }

    /** The messages split into {@code messages} objects of at most about {@code maxChars} of JSON each (at least one message each). */
    static List<ObjectNode> chunks(Map<String, Map<String, JsonNode>> messages, int maxChars) {
        List<ObjectNode> chunks = new ArrayList<>();
        ObjectNode current = null;
        int chars = 0;
        for (Map.Entry<String, Map<String, JsonNode>> user : messages.entrySet()) {
            for (Map.Entry<String, JsonNode> device : user.getValue().entrySet()) {
                int size = JsonText.write(device.getValue()).length() + user.getKey().length() + device.getKey().length();
                if (current == null || (chars > 0 && chars + size > maxChars)) {
                    current = F.objectNode();
                    chunks.add(current);
                    chars = 0;
                }
                ObjectNode forUser = current.has(user.getKey()) ? (ObjectNode) current.get(user.getKey())
                        : current.putObject(user.getKey());
                forUser.set(device.getKey(), device.getValue());
                chars += size;
            }
        }
        return chunks;
    }

    private static List<String> deviceIds(JsonNode wanted) {
        List<String> ids = new ArrayList<>();
        if (wanted != null && wanted.isArray()) {
            wanted.forEach(d -> {
                if (d.isTextual()) {
                    ids.add(d.textValue());
                }
            });
        }
        return ids;
    }
}

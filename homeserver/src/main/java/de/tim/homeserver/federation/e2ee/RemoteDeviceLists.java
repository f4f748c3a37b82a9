package de.tim.homeserver.federation.e2ee;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.room.RoomReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The cache of remote users' device lists ({@link RemoteDeviceCacheRepository}) and the inbound
 * {@code m.device_list_update} / {@code m.signing_key_update} EDUs that keep it current. Only users who share a
 * room with one of our users are cached (only for them the remote server sends EDUs); a cached list is used
 * up to {@code remote-cache-max-age}. An update whose {@code prev_id}s are all known is applied to the cached
 * list; otherwise (a gap) the cache entry is dropped and the list is fetched again with {@code user/devices}.
 * Each update also records a device list change, so our users sharing a room see the remote user in
 * {@code device_lists.changed} — after the cache changed, so their next {@code /keys/query} reads the new state.
 */
@Service
public class RemoteDeviceLists {

    private static final Logger log = LoggerFactory.getLogger(RemoteDeviceLists.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final RemoteDeviceCacheRepository cache;
    private final RoomReader rooms;
    private final DeviceListService deviceLists;
    private final FederationClient client;
    private final FederationE2eeProperties properties;
    /** Users being fetched again; {@code true} when an update arrived meanwhile (fetch once more). */
    private final Map<String, Boolean> resyncing = new java.util.concurrent.ConcurrentHashMap<>();

    RemoteDeviceLists(RemoteDeviceCacheRepository cache, RoomReader rooms, DeviceListService deviceLists,
            FederationClient client, FederationE2eeProperties properties) {
        this.cache = cache;
        this.rooms = rooms;
        this.deviceLists = deviceLists;
        this.client = client;
        this.properties = properties;
    }

    /** Whether a user of another server shares a joined room with one of our users (as far as this server knows). */
    boolean tracked(Domain domain, String userId) {
        return !rooms.joinedRooms(domain, userId).isEmpty();
    }

    /** The usable cached list of a tracked user, or null. */
    RemoteDeviceCacheRepository.Cached cached(Domain domain, String userId) {
        RemoteDeviceCacheRepository.Cached cached = cache.find(domain.database(), userId);
        if (cached == null) {
            return null;
        }
        if (System.currentTimeMillis() - cached.fetchedTs() > properties.remoteCacheMaxAge().toMillis()
                || !tracked(domain, userId)) {
            cache.delete(domain.database(), userId);
            return null;
        }
        return cached;
    }

    /** Caches a tracked user's complete list as a {@code user/keys/query} answer gave it (no stream id). */
    void cacheQueried(Domain domain, String userId, ObjectNode devices, ObjectNode masterKey, ObjectNode selfSigningKey) {
        if (tracked(domain, userId)) {
            cache.put(domain.database(), new RemoteDeviceCacheRepository.Cached(userId, null, devices, masterKey, selfSigningKey,
                    System.currentTimeMillis()));
        }
    }

    /** Inbound {@code m.device_list_update} of a user of the origin. */
    public void deviceListUpdate(Domain domain, String origin, JsonNode content) {
        String userId = content.path("user_id").asText(null);
        String deviceId = content.path("device_id").asText(null);
        JsonNode streamId = content.path("stream_id");
        if (userId == null || deviceId == null || !streamId.canConvertToLong() || !Edus.isUserOf(userId, origin)
                || !tracked(domain, userId)) {
            return;
        }
        RemoteDeviceCacheRepository.Cached cached = cache.find(domain.database(), userId);
        if (cached != null && (cached.streamId() == null || cached.streamId() != streamId.longValue())) {
            if (applicable(cached, content.path("prev_id"))) {
                ObjectNode devices = cached.devices().deepCopy();
                if (content.path("deleted").asBoolean(false)) {
                    devices.remove(deviceId);
                } else if (content.path("keys").isObject() && userId.equals(content.path("keys").path("user_id").asText())
                        && deviceId.equals(content.path("keys").path("device_id").asText())) {
                    ObjectNode keys = (ObjectNode) content.get("keys").deepCopy();
                    if (content.path("device_display_name").isTextual()) {
                        keys.putObject("unsigned").put("device_display_name", content.get("device_display_name").textValue());
                    }
                    devices.set(deviceId, keys);
                } else {
                    // a device without keys: nothing a client could use
                    devices.remove(deviceId);
                }
                RemoteDeviceCacheRepository.Cached next = new RemoteDeviceCacheRepository.Cached(userId, streamId.longValue(),
                        devices, cached.masterKey(), cached.selfSigningKey(), cached.fetchedTs());
                if (!cache.replaceIf(domain.database(), cached.streamId(), next)) {
                    cache.delete(domain.database(), userId);
                }
            } else {
                cache.delete(domain.database(), userId);
                resyncLater(domain, origin, userId);
            }
        }
        deviceLists.changed(domain, userId);
    }

    /** Inbound {@code m.signing_key_update} of a user of the origin. */
    public void signingKeyUpdate(Domain domain, String origin, JsonNode content) {
        String userId = content.path("user_id").asText(null);
        if (userId == null || !Edus.isUserOf(userId, origin) || !tracked(domain, userId)) {
            return;
        }
        RemoteDeviceCacheRepository.Cached cached = cache.find(domain.database(), userId);
        if (cached != null) {
            ObjectNode master = ownKey(content.path("master_key"), userId, cached.masterKey());
            ObjectNode selfSigning = ownKey(content.path("self_signing_key"), userId, cached.selfSigningKey());
            RemoteDeviceCacheRepository.Cached next = new RemoteDeviceCacheRepository.Cached(userId, cached.streamId(),
                    cached.devices(), master, selfSigning, cached.fetchedTs());
            if (!cache.replaceIf(domain.database(), cached.streamId(), next)) {
                cache.delete(domain.database(), userId);
            }
        }
        deviceLists.changed(domain, userId);
    }

    private static ObjectNode ownKey(JsonNode key, String userId, ObjectNode otherwise) {
        return key.isObject() && userId.equals(key.path("user_id").asText()) ? (ObjectNode) key.deepCopy() : otherwise;
    }

    /** An update applies to the cached list if it names the list's stream id among its (non-empty) {@code prev_id}s. */
    static boolean applicable(RemoteDeviceCacheRepository.Cached cached, JsonNode prevIds) {
        if (cached.streamId() == null || !prevIds.isArray() || prevIds.isEmpty()) {
            return false;
        }
        for (JsonNode prev : prevIds) {
            if (!prev.canConvertToLong() || prev.longValue() != cached.streamId()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fetches the list again in the background: one fetch per user at a time, and once more when another gap
     * arrived while it ran (its answer may predate that change).
     */
    private void resyncLater(Domain domain, String origin, String userId) {
        String key = domain.databaseName() + "\n" + userId;
        if (resyncing.putIfAbsent(key, Boolean.FALSE) != null) {
            resyncing.put(key, Boolean.TRUE);
            return;
        }
        Thread.ofVirtual().name("federation-device-resync").start(() -> {
            try {
                do {
                    resync(domain, origin, userId);
                } while (!resyncing.remove(key, Boolean.FALSE) && resyncing.replace(key, Boolean.FALSE) != null);
            } catch (RuntimeException e) {
                resyncing.remove(key);
                log.debug("Device list resync failed: {}", e.toString());
            }
        });
    }

    /** Fetches the user's list with {@code user/devices} and caches it with its stream id; null if unreachable. */
    RemoteDeviceCacheRepository.Cached resync(Domain domain, String server, String userId) {
        JsonNode answer;
        try {
            answer = client.send(domain, server, "GET", "/_matrix/federation/v1/user/devices/"
                    + URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20"), null, properties.remoteQueryTimeout());
        } catch (FederationException e) {
            log.debug("Device list of a remote user not fetched: {}", e.getMessage());
            return null;
        }
        if (!userId.equals(answer.path("user_id").asText()) || !answer.path("stream_id").canConvertToLong()) {
            return null;
        }
        ObjectNode devices = F.objectNode();
        for (JsonNode device : answer.path("devices")) {
            String deviceId = device.path("device_id").asText(null);
            JsonNode keys = device.path("keys");
            if (deviceId != null && keys.isObject() && userId.equals(keys.path("user_id").asText())
                    && deviceId.equals(keys.path("device_id").asText())) {
                ObjectNode copy = (ObjectNode) keys.deepCopy();
                if (device.path("device_display_name").isTextual()) {
                    copy.putObject("unsigned").put("device_display_name", device.get("device_display_name").textValue());
                }
                devices.set(deviceId, copy);
            }
        }
        RemoteDeviceCacheRepository.Cached cached = new RemoteDeviceCacheRepository.Cached(userId, answer.get("stream_id").longValue(),
                devices, ownKey(answer.path("master_key"), userId, null), ownKey(answer.path("self_signing_key"), userId, null),
                System.currentTimeMillis());
        if (tracked(domain, userId)) {
            cache.put(domain.database(), cached);
        }
        return cached;
    }

    /** The cached list as a {@code /keys/query} answer for the wanted devices (empty: all). */
    static void answer(RemoteDeviceCacheRepository.Cached cached, Iterable<String> wanted, ObjectNode response) {
        ObjectNode devices = F.objectNode();
        boolean all = !wanted.iterator().hasNext();
        Iterator<Map.Entry<String, JsonNode>> it = cached.devices().properties().iterator();
        java.util.Set<String> wantedSet = new java.util.HashSet<>();
        wanted.forEach(wantedSet::add);
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> d = it.next();
            if (all || wantedSet.contains(d.getKey())) {
                devices.set(d.getKey(), d.getValue());
            }
        }
        ((ObjectNode) response.get("device_keys")).set(cached.userId(), devices);
        if (cached.masterKey() != null) {
            ((ObjectNode) response.get("master_keys")).set(cached.userId(), cached.masterKey());
        }
        if (cached.selfSigningKey() != null) {
            ((ObjectNode) response.get("self_signing_keys")).set(cached.userId(), cached.selfSigningKey());
        }
    }
}

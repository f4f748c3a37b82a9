package de.tim.homeserver.pusher;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.homeserver.device.DeviceDeletionListener;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * Pushers of local users ({@code /pushers}, {@code /pushers/set}). A pusher belongs to the device that
 * created it and disappears with it. The push capability reads them through {@link #list}.
 */
@Service
public class PusherService implements DeviceDeletionListener {

    private static final String NOTIFY_PATH = "/_matrix/push/v1/notify";

    private final PusherRepository repository;
    private final ObjectMapper json;

    PusherService(PusherRepository repository, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
    }

    /** Body of {@code POST /pushers/set}; {@code kind} null deletes. */
    public record PusherRequest(String pushkey, String kind, String appId, String appDisplayName, String deviceDisplayName,
            String profileTag, String lang, JsonNode data, Boolean append) {
        @Override
        public String toString() {
            return "PusherRequest[" + appId + "]";
        }
    }

    /**
     * A pusher as the notification capability needs it.
     *
     * @param data     the pusher's {@code data} without {@code url} (what the Push Gateway API's {@code devices[].data} carries)
     * @param url      {@code data.url}, the gateway to post to
     * @param format   {@code data.format} ({@code event_id_only}) or null
     * @param updatedTs when the pushkey was last set (ms since epoch)
     */
    public record Pusher(String appId, String pushkey, String kind, Map<String, Object> data, String url, String format,
            long updatedTs) {
        @Override
        public String toString() {
            return "Pusher[" + appId + "]";
        }
    }

    /** The user's {@code http} pushers. */
    public List<Pusher> httpPushers(Domain domain, String userId) {
        List<Pusher> result = new java.util.ArrayList<>();
        for (Document doc : repository.findAll(domain.database(), userId)) {
            if (!"http".equals(doc.getString("kind"))) {
                continue;
            }
            Map<String, Object> data;
            try {
                data = json.readValue(doc.getString("data"), new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {
                });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored pusher data is not JSON", e);
            }
            Object url = data.remove("url");
            Object format = data.get("format");
            Long updated = doc.getLong("updated_ts");
            result.add(new Pusher(doc.getString("app_id"), doc.getString("pushkey"), doc.getString("kind"), data,
                    url instanceof String u ? u : null, format instanceof String f ? f : null, updated == null ? 0 : updated));
        }
        return result;
    }

    /**
     * Removes a pusher a push gateway rejected (idempotent). Without a user, the pusher is removed for every
     * user of the domain that has it.
     */
    public void removeRejected(Domain domain, String userId, String appId, String pushkey) {
        if (userId == null) {
            repository.deleteAllUsers(domain.database(), appId, pushkey);
        } else {
            repository.delete(domain.database(), userId, appId, pushkey);
        }
    }

    /** The user's pushers in the client-server representation. */
    public List<Map<String, Object>> list(Domain domain, String userId) {
        return repository.findAll(domain.database(), userId).stream().map(this::toJson).toList();
    }

    public void set(Domain domain, String userId, String deviceId, PusherRequest request) {
        if (request.pushkey() == null || request.appId() == null) {
            throw MatrixException.missingParam("pushkey and app_id are required");
        }
        if (request.appId().length() > 64 || request.pushkey().length() > 512) {
            throw MatrixException.invalidParam("app_id or pushkey too long");
        }
        if (request.kind() == null) {
            repository.delete(domain.database(), userId, request.appId(), request.pushkey());
            return;
        }
        if (!"http".equals(request.kind()) && !"email".equals(request.kind())) {
            throw MatrixException.invalidParam("Unsupported pusher kind");
        }
        if (request.appDisplayName() == null || request.deviceDisplayName() == null || request.lang() == null
                || request.data() == null) {
            throw MatrixException.missingParam("app_display_name, device_display_name, lang and data are required");
        }
        if (!request.data().isObject()) {
            throw MatrixException.badJson("data must be an object");
        }
        if ("email".equals(request.kind())) {
            throw MatrixException.invalidParam("E-mail pushers are not supported");
        }
        requireNotifyUrl(request.data().path("url"));
        String data;
        try {
            data = json.writeValueAsString(request.data());
        } catch (JsonProcessingException e) {
            throw MatrixException.badJson("Invalid data");
        }
        if (!Boolean.TRUE.equals(request.append())) {
            repository.deleteOtherUsers(domain.database(), userId, request.appId(), request.pushkey());
        }
        repository.upsert(domain.database(), new Document("user_id", userId).append("device_id", deviceId)
                .append("app_id", request.appId()).append("pushkey", request.pushkey()).append("kind", request.kind())
                .append("app_display_name", request.appDisplayName()).append("device_display_name", request.deviceDisplayName())
                .append("profile_tag", request.profileTag()).append("lang", request.lang()).append("data", data)
                .append("updated_ts", System.currentTimeMillis()));
    }

    @Override
    public void deviceDeleted(Domain domain, String userId, String deviceId) {
        repository.deleteForDevice(domain.database(), userId, deviceId);
    }

    private static void requireNotifyUrl(JsonNode url) {
        if (!url.isTextual()) {
            throw MatrixException.invalidParam("http pushers need data.url");
        }
        try {
            URI uri = URI.create(url.asText());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || !NOTIFY_PATH.equals(uri.getPath())) {
                throw MatrixException.invalidParam("data.url must be an http(s) URL with path " + NOTIFY_PATH);
            }
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("data.url is not a URL");
        }
    }

    private Map<String, Object> toJson(Document doc) {
        Map<String, Object> pusher = new LinkedHashMap<>();
        pusher.put("pushkey", doc.getString("pushkey"));
        pusher.put("kind", doc.getString("kind"));
        pusher.put("app_id", doc.getString("app_id"));
        pusher.put("app_display_name", doc.getString("app_display_name"));
        pusher.put("device_display_name", doc.getString("device_display_name"));
        if (doc.getString("profile_tag") != null) {
            pusher.put("profile_tag", doc.getString("profile_tag"));
        }
        pusher.put("lang", doc.getString("lang"));
        try {
            pusher.put("data", json.readTree(doc.getString("data")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored pusher data is not JSON", e);
        }
        return pusher;
    }
}

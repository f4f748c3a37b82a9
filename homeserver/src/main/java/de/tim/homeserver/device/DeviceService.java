package de.tim.homeserver.device;

import java.security.SecureRandom;
import java.util.List;

import com.mongodb.client.model.Updates;
import de.tim.homeserver.auth.TokenService;
import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/** Devices of local users. Deleting a device revokes its tokens and tells the listeners. */
@Service
public class DeviceService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private final DeviceRepository repository;
    private final TokenService tokens;
    private final List<DeviceDeletionListener> listeners;

    DeviceService(DeviceRepository repository, TokenService tokens, List<DeviceDeletionListener> listeners) {
        this.repository = repository;
        this.tokens = tokens;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * The device to log in with: the given id (created if new; an existing device's old tokens are
     * revoked) or a new generated id.
     */
    public String loginDevice(Domain domain, String userId, String deviceId, String displayName) {
        if (deviceId == null || deviceId.isEmpty()) {
            for (int attempt = 0; attempt < 5; attempt++) {
                String generated = generateId();
                if (repository.insertIfAbsent(domain.database(), userId, generated, displayName)) {
                    return generated;
                }
            }
            throw MatrixException.unknown(500, "Could not allocate a device id");
        }
        if (deviceId.length() > 255) {
            throw MatrixException.invalidParam("device_id too long");
        }
        if (!repository.insertIfAbsent(domain.database(), userId, deviceId, displayName)) {
            tokens.revokeDevice(domain, userId, deviceId);
        }
        return deviceId;
    }

    public List<Device> list(Domain domain, String userId) {
        return repository.findAll(domain.database(), userId).stream().map(DeviceService::toDevice).toList();
    }

    /** The device or 404 M_NOT_FOUND. */
    public Device get(Domain domain, String userId, String deviceId) {
        Document doc = repository.find(domain.database(), userId, deviceId);
        if (doc == null) {
            throw MatrixException.notFound("Device not found");
        }
        return toDevice(doc);
    }

    public boolean exists(Domain domain, String userId, String deviceId) {
        return repository.find(domain.database(), userId, deviceId) != null;
    }

    /** Renames; 404 if the device does not exist. */
    public void rename(Domain domain, String userId, String deviceId, String displayName) {
        if (!repository.update(domain.database(), userId, deviceId, Updates.set("display_name", displayName))) {
            throw MatrixException.notFound("Device not found");
        }
    }

    /** Records activity (called at most about once a minute per token). */
    public void touch(Domain domain, String userId, String deviceId, String ip) {
        repository.touch(domain.database(), userId, deviceId, ip, System.currentTimeMillis());
    }

    /** Deletes the device and its tokens; deleting an unknown device is a no-op. */
    public void delete(Domain domain, String userId, String deviceId) {
        tokens.revokeDevice(domain, userId, deviceId);
        repository.delete(domain.database(), userId, deviceId);
        for (DeviceDeletionListener listener : listeners) {
            listener.deviceDeleted(domain, userId, deviceId);
        }
    }

    /** Deletes every device of the user except {@code keepDeviceId} (may be null). */
    public void deleteAll(Domain domain, String userId, String keepDeviceId) {
        for (Device device : list(domain, userId)) {
            if (!device.deviceId().equals(keepDeviceId)) {
                delete(domain, userId, device.deviceId());
            }
        }
        tokens.revokeUser(domain, userId, keepDeviceId);
    }

    private static String generateId() {
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    private static Device toDevice(Document doc) {
        Object ts = doc.get("last_seen_ts");
        return new Device(doc.getString("user_id"), doc.getString("device_id"), doc.getString("display_name"),
                doc.getString("last_seen_ip"), ts == null ? null : ((Number) ts).longValue());
    }
}

package de.tim.homeserver.e2ee.todevice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.device.Device;
import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.JsonText;
import de.tim.homeserver.e2ee.RemoteE2ee;
import de.tim.homeserver.id.MatrixIds;
import de.tim.homeserver.room.SyncSignals;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Send-to-device messaging. Messages wait in the recipient device's inbox until acknowledged: a sync
 * stamps the messages it delivers with a fresh {@code to_device} position (the batch) and returns it in
 * {@code next_batch}; a later sync whose since token is at or past that batch deletes them. Messages are
 * never selected by comparing their own position with the token, so a message written after a sync read
 * the inbox (position allocation and insert are not atomic) is simply delivered by the next sync instead
 * of being skipped.
 */
@Service
public class ToDeviceService {

    private static final Logger log = LoggerFactory.getLogger(ToDeviceService.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Messages per sync response. */
    static final int SYNC_LIMIT = 100;
    private static final int MAX_RECIPIENT_DEVICES = 10_000;

    private final ToDeviceRepository repository;
    private final DeviceService devices;
    private final StreamPositions positions;
    private final SyncSignals signals;
    private final ObjectProvider<RemoteE2ee> remote;

    ToDeviceService(ToDeviceRepository repository, DeviceService devices, StreamPositions positions, SyncSignals signals,
            ObjectProvider<RemoteE2ee> remote) {
        this.repository = repository;
        this.devices = devices;
        this.positions = positions;
        this.signals = signals;
        this.remote = remote;
    }

    /** {@code PUT /sendToDevice/{eventType}/{txnId}}: idempotent per sender device and txn id. */
    public void send(Requester requester, String type, String txnId, JsonNode body) {
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isObject()) {
            throw MatrixException.badJson("messages must be an object");
        }
        Domain domain = requester.domain();
        // validate and expand before the first write
        Map<String, Map<String, JsonNode>> local = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, JsonNode>>> remoteByServer = new LinkedHashMap<>();
        int count = 0;
        for (Map.Entry<String, JsonNode> user : messages.properties()) {
            String userId = user.getKey();
            MatrixIds.parseUserId(userId);
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson("messages must map user ids to objects");
            }
            Map<String, JsonNode> byDevice = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> device : user.getValue().properties()) {
                if (!device.getValue().isObject()) {
                    throw MatrixException.badJson("message contents must be objects");
                }
                byDevice.put(device.getKey(), device.getValue());
            }
            if (domain.isLocal(userId)) {
                local.put(userId, byDevice);
            } else {
                remoteByServer.computeIfAbsent(userId.substring(userId.indexOf(':') + 1), s -> new LinkedHashMap<>())
                        .put(userId, byDevice);
            }
            count += byDevice.size();
            if (count > MAX_RECIPIENT_DEVICES) {
                throw MatrixException.invalidParam("Too many recipient devices");
            }
        }
        Document existing = repository.findTxn(domain.database(), requester.userId(), requester.deviceId(), txnId);
        if (existing != null && existing.getBoolean("complete", false)) {
            return;
        }
        if (existing == null && !repository.insertTxn(domain.database(), requester.userId(), requester.deviceId(), txnId)) {
            Document raced = repository.findTxn(domain.database(), requester.userId(), requester.deviceId(), txnId);
            if (raced != null && raced.getBoolean("complete", false)) {
                return;
            }
        }
        String messageId = requester.deviceId() + ":" + txnId;
        long queued = enqueue(domain, requester.userId(), type, messageId, local);
        RemoteE2ee federation = remote.getIfAvailable(RemoteE2ee.Unavailable::new);
        remoteByServer.forEach((server, users) -> {
            if (!federation.sendToDevice(domain, server, requester.userId(), type, messageId, users)) {
                log.warn("To-device messages for {} remote users not sent: federation is not available", users.size());
            }
        });
        repository.completeTxn(domain.database(), requester.userId(), requester.deviceId(), txnId);
        if (queued > 0) {
            signals.changed(domain, StreamPositions.TO_DEVICE, queued);
        }
    }

    /**
     * For the federation capability: queues the messages of an incoming {@code m.direct_to_device} EDU for
     * local devices ({@code *} = every device). A retried EDU rewrites the same inbox documents (ids from
     * sender and {@code messageId}) while they are undelivered; deduplicating federation transactions is the caller's.
     */
    public void receiveRemote(Domain domain, String sender, String type, String messageId, Map<String, Map<String, JsonNode>> messages) {
        Map<String, Map<String, JsonNode>> local = new LinkedHashMap<>();
        messages.forEach((userId, byDevice) -> {
            if (domain.isLocal(userId)) {
                local.put(userId, byDevice);
            }
        });
        long queued = enqueue(domain, sender, type, messageId, local);
        if (queued > 0) {
            signals.changed(domain, StreamPositions.TO_DEVICE, queued);
        }
    }

    /**
     * Writes one inbox document per recipient device (ids derived from sender and message id: retries rewrite
     * them); returns the last position written, 0 if there was no recipient device.
     */
    private long enqueue(Domain domain, String sender, String type, String messageId, Map<String, Map<String, JsonNode>> local) {
        List<Document> inbox = new ArrayList<>();
        for (Map.Entry<String, Map<String, JsonNode>> user : local.entrySet()) {
            for (Map.Entry<String, JsonNode> e : user.getValue().entrySet()) {
                Set<String> targets = new LinkedHashSet<>();
                if (e.getKey().equals("*")) {
                    devices.list(domain, user.getKey()).stream().map(Device::deviceId).forEach(targets::add);
                } else {
                    targets.add(e.getKey());
                }
                String content = JsonText.write(e.getValue());
                for (String deviceId : targets) {
                    inbox.add(new Document("_id", sender + "\n" + messageId + "\n" + user.getKey() + "\n" + deviceId)
                            .append("user_id", user.getKey()).append("device_id", deviceId).append("sender", sender)
                            .append("type", type).append("content", content).append("message_id", messageId).append("batch", null));
                }
            }
        }
        if (inbox.isEmpty()) {
            return 0;
        }
        long last = positions.nextBlock(domain, StreamPositions.TO_DEVICE, inbox.size());
        long pos = last - inbox.size() + 1;
        for (Document message : inbox) {
            message.append("pos", pos++);
            repository.insertMessage(domain.database(), message);
        }
        return last;
    }

    /** What a sync delivers: the events and the {@code to_device} position for {@code next_batch}. */
    public record Delivery(List<ObjectNode> events, long token) {
    }

    /**
     * Acknowledges what syncs up to {@code since} delivered (deletes it), then returns the messages
     * delivered after {@code since} but not acknowledged (a repeated sync) plus new ones, oldest first.
     */
    public Delivery deliver(Domain domain, String userId, String deviceId, long since) {
        if (since > 0) {
            repository.deleteAcknowledged(domain.database(), userId, deviceId, since);
        }
        long pending = repository.countDeliveredAfter(domain.database(), userId, deviceId, since);
        if (pending < SYNC_LIMIT) {
            List<Document> fresh = repository.undelivered(domain.database(), userId, deviceId, (int) (SYNC_LIMIT - pending));
            if (!fresh.isEmpty()) {
                long batch = positions.next(domain, StreamPositions.TO_DEVICE);
                repository.markDelivered(domain.database(), fresh.stream().map(d -> d.get("_id")).toList(), batch);
            }
        }
        List<ObjectNode> events = new ArrayList<>();
        long token = since;
        for (Document d : repository.deliveredAfter(domain.database(), userId, deviceId, since)) {
            ObjectNode event = F.objectNode().put("type", d.getString("type")).put("sender", d.getString("sender"));
            event.set("content", JsonText.readObject(d.getString("content")));
            events.add(event);
            token = Math.max(token, ((Number) d.get("batch")).longValue());
        }
        return new Delivery(events, token);
    }

    /** Drops the inbox and transactions of a deleted device. */
    public void deviceDeleted(Domain domain, String userId, String deviceId) {
        repository.deleteDevice(domain.database(), userId, deviceId);
    }
}

package de.tim.homeserver.e2ee.keys;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.RemoteE2ee;
import de.tim.homeserver.e2ee.crosssigning.CrossSigningService;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.error.MatrixException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * {@code POST /keys/query} and {@code POST /keys/claim}: local users here, other servers through {@link RemoteE2ee}, all
 * servers at once ({@link RemoteKeyRequests}) within the request's {@code timeout} (default 10 s, the spec's
 * recommendation, at most {@link #MAX_TIMEOUT}); a server without an answer by then is reported in {@code failures}.
 */
@Service
public class KeyQueryService {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_USERS = 1000;
    /** How long a query or claim waits for other servers unless the request says otherwise (spec: 10 s recommended). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The longest wait for other servers a request may ask for. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    private final KeysService keys;
    private final CrossSigningService crossSigning;
    private final ObjectProvider<RemoteE2ee> remote;
    private final RemoteKeyRequests remoteRequests;

    KeyQueryService(KeysService keys, CrossSigningService crossSigning, ObjectProvider<RemoteE2ee> remote,
            RemoteKeyRequests remoteRequests) {
        this.keys = keys;
        this.crossSigning = crossSigning;
        this.remote = remote;
        this.remoteRequests = remoteRequests;
    }

    private RemoteE2ee remote() {
        return remote.getIfAvailable(RemoteE2ee.Unavailable::new);
    }

    public ObjectNode query(Requester requester, JsonNode body) {
        long started = System.nanoTime();
        JsonNode wanted = body.get("device_keys");
        if (wanted == null || !wanted.isObject()) {
            throw MatrixException.badJson("device_keys must be an object");
        }
        if (wanted.size() > MAX_USERS) {
            throw MatrixException.invalidParam("Too many users");
        }
        Duration timeout = timeout(body);
        Domain domain = requester.domain();
        ObjectNode response = F.objectNode();
        ObjectNode deviceKeys = response.putObject("device_keys");
        ObjectNode failures = response.putObject("failures");
        ObjectNode masterKeys = response.putObject("master_keys");
        ObjectNode selfSigningKeys = response.putObject("self_signing_keys");
        ObjectNode userSigningKeys = response.putObject("user_signing_keys");
        Map<String, Map<String, JsonNode>> remoteUsers = new LinkedHashMap<>();
        Map<String, List<String>> localUsers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : wanted.properties()) {
            String userId = e.getKey();
            String server = server(userId);
            List<String> devices = deviceList(e.getValue());
            if (domain.isLocal(userId)) {
                localUsers.put(userId, devices);
            } else {
                remoteUsers.computeIfAbsent(server, s -> new LinkedHashMap<>()).put(userId, e.getValue());
            }
        }
        // other servers are asked first, all at once, and answer while the local keys are read
        Map<String, Callable<Optional<ObjectNode>>> requests = new LinkedHashMap<>();
        remoteUsers.forEach((server, users) -> requests.put(server, () -> remote().queryKeys(domain, server, users)));
        try (RemoteKeyRequests.Pending pending = remoteRequests.start(requests)) {
            localUsers.forEach((userId, devices) -> {
                deviceKeys.set(userId, keys.queryDevices(domain, userId, devices));
                put(masterKeys, userId, crossSigning.key(domain, userId, CrossSigningService.MASTER, requester.userId()));
                put(selfSigningKeys, userId, crossSigning.key(domain, userId, CrossSigningService.SELF_SIGNING, requester.userId()));
                if (userId.equals(requester.userId())) {
                    put(userSigningKeys, userId, crossSigning.key(domain, userId, CrossSigningService.USER_SIGNING, userId));
                }
            });
            remoteRequests.await(pending, started, timeout).forEach((server, answer) -> {
                if (answer.isEmpty()) {
                    failures.putObject(server);
                    return;
                }
                Map<String, JsonNode> users = remoteUsers.get(server);
                for (String section : new String[] {"device_keys", "master_keys", "self_signing_keys"}) {
                    answer.get().path(section).properties().forEach(u -> {
                        if (users.containsKey(u.getKey())) {
                            ((ObjectNode) response.get(section)).set(u.getKey(), u.getValue());
                        }
                    });
                }
            });
        }
        return response;
    }

    public ObjectNode claim(Requester requester, JsonNode body) {
        long started = System.nanoTime();
        JsonNode wanted = body.get("one_time_keys");
        if (wanted == null || !wanted.isObject()) {
            throw MatrixException.badJson("one_time_keys must be an object");
        }
        if (wanted.size() > MAX_USERS) {
            throw MatrixException.invalidParam("Too many users");
        }
        Duration timeout = timeout(body);
        Map<String, Map<String, Map<String, String>>> remoteUsers = new LinkedHashMap<>();
        Map<String, Map<String, String>> local = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> user : wanted.properties()) {
            String server = server(user.getKey());
            if (!user.getValue().isObject()) {
                throw MatrixException.badJson("one_time_keys values must be objects");
            }
            Map<String, String> byDevice = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> device : user.getValue().properties()) {
                if (!device.getValue().isTextual()) {
                    throw MatrixException.badJson("one_time_keys must map device ids to algorithms");
                }
                byDevice.put(device.getKey(), device.getValue().textValue());
            }
            if (requester.domain().isLocal(user.getKey())) {
                local.put(user.getKey(), byDevice);
            } else {
                remoteUsers.computeIfAbsent(server, s -> new LinkedHashMap<>()).put(user.getKey(), byDevice);
            }
        }
        ObjectNode response = F.objectNode();
        ObjectNode claimed = response.putObject("one_time_keys");
        ObjectNode failures = response.putObject("failures");
        Map<String, Callable<Optional<ObjectNode>>> requests = new LinkedHashMap<>();
        remoteUsers.forEach((server, users) -> requests.put(server, () -> remote().claimKeys(requester.domain(), server, users)));
        try (RemoteKeyRequests.Pending pending = remoteRequests.start(requests)) {
            local.forEach((userId, byDevice) -> byDevice.forEach((deviceId, algorithm) -> {
                Map.Entry<String, JsonNode> key = keys.claim(requester.domain(), userId, deviceId, algorithm);
                if (key != null) {
                    ObjectNode forUser = claimed.has(userId) ? (ObjectNode) claimed.get(userId) : claimed.putObject(userId);
                    forUser.putObject(deviceId).set(key.getKey(), key.getValue());
                }
            }));
            remoteRequests.await(pending, started, timeout).forEach((server, answer) -> {
                if (answer.isEmpty()) {
                    failures.putObject(server);
                    return;
                }
                Map<String, Map<String, String>> users = remoteUsers.get(server);
                answer.get().path("one_time_keys").properties().forEach(u -> {
                    if (users.containsKey(u.getKey())) {
                        claimed.set(u.getKey(), u.getValue());
                    }
                });
            });
        }
        return response;
    }

    /**
     * The request's {@code timeout} (milliseconds to wait for other servers): {@link #DEFAULT_TIMEOUT} when absent,
     * at most {@link #MAX_TIMEOUT}; 400 {@code M_BAD_JSON} unless a non-negative integer.
     */
    static Duration timeout(JsonNode body) {
        JsonNode timeout = body.get("timeout");
        if (timeout == null || timeout.isNull()) {
            return DEFAULT_TIMEOUT;
        }
        if (!timeout.isIntegralNumber() || timeout.asLong() < 0) {
            throw MatrixException.badJson("timeout must be a non-negative integer (milliseconds)");
        }
        return timeout.canConvertToLong() && timeout.asLong() < MAX_TIMEOUT.toMillis() ? Duration.ofMillis(timeout.asLong()) : MAX_TIMEOUT;
    }

    private static void put(ObjectNode section, String userId, ObjectNode key) {
        if (key != null) {
            section.set(userId, key);
        }
    }

    private static String server(String userId) {
        MatrixIds.parseUserId(userId);
        return userId.substring(userId.indexOf(':') + 1);
    }

    /** The device ids of one user in a {@code device_keys} request (400 {@code M_BAD_JSON} unless an array of strings). */
    public static List<String> deviceList(JsonNode node) {
        if (!node.isArray()) {
            throw MatrixException.badJson("device_keys values must be arrays of device ids");
        }
        List<String> devices = new ArrayList<>();
        for (JsonNode d : node) {
            if (!d.isTextual()) {
                throw MatrixException.badJson("device ids must be strings");
            }
            devices.add(d.textValue());
        }
        return devices;
    }
}

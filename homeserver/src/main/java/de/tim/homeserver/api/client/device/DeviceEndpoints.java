package de.tim.homeserver.api.client.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.auth.UiaService;
import de.tim.homeserver.device.Device;
import de.tim.homeserver.device.DeviceService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Device management". */
@RestController
public class DeviceEndpoints {

    private final DeviceService devices;
    private final UiaService uia;

    DeviceEndpoints(DeviceService devices, UiaService uia) {
        this.devices = devices;
        this.uia = uia;
    }

    /** The client-server representation of a device. */
    public static Map<String, Object> toJson(Device device) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("device_id", device.deviceId());
        if (device.displayName() != null) {
            json.put("display_name", device.displayName());
        }
        if (device.lastSeenIp() != null) {
            json.put("last_seen_ip", device.lastSeenIp());
        }
        if (device.lastSeenTs() != null) {
            json.put("last_seen_ts", device.lastSeenTs());
        }
        return json;
    }

    /** {@code GET /_matrix/client/v3/devices} */
    @GetMapping("/_matrix/client/v3/devices")
    Map<String, Object> list(Requester requester) {
        return Map.of("devices", devices.list(requester.domain(), requester.userId()).stream()
                .map(DeviceEndpoints::toJson).toList());
    }

    /** {@code GET /_matrix/client/v3/devices/{deviceId}} */
    @GetMapping("/_matrix/client/v3/devices/{deviceId}")
    Map<String, Object> get(Requester requester, @PathVariable String deviceId) {
        return toJson(devices.get(requester.domain(), requester.userId(), deviceId));
    }

    record UpdateRequest(String displayName) {
    }

    /** {@code PUT /_matrix/client/v3/devices/{deviceId}} */
    @PutMapping("/_matrix/client/v3/devices/{deviceId}")
    Map<String, Object> update(Requester requester, @PathVariable String deviceId, @RequestBody UpdateRequest request) {
        devices.rename(requester.domain(), requester.userId(), deviceId, request.displayName());
        return Map.of();
    }

    record DeleteRequest(JsonNode auth) {
    }

    /** {@code DELETE /_matrix/client/v3/devices/{deviceId}} (User-Interactive Authentication; unknown devices: no-op) */
    @DeleteMapping("/_matrix/client/v3/devices/{deviceId}")
    Map<String, Object> delete(Requester requester, @PathVariable String deviceId,
            @RequestBody(required = false) DeleteRequest request) {
        uia.authenticate(requester, request == null ? null : request.auth(), "delete_devices");
        devices.delete(requester.domain(), requester.userId(), deviceId);
        return Map.of();
    }

    record DeleteDevicesRequest(List<String> devices, JsonNode auth) {
    }

    /** {@code POST /_matrix/client/v3/delete_devices} (User-Interactive Authentication) */
    @PostMapping("/_matrix/client/v3/delete_devices")
    Map<String, Object> deleteMany(Requester requester, @RequestBody DeleteDevicesRequest request) {
        if (request.devices() == null) {
            throw MatrixException.badJson("Missing devices");
        }
        uia.authenticate(requester, request.auth(), "delete_devices");
        for (String deviceId : request.devices()) {
            devices.delete(requester.domain(), requester.userId(), deviceId);
        }
        return Map.of();
    }
}

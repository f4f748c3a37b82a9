package de.tim.homeserver.e2ee;

import de.tim.homeserver.device.DeviceDeletionListener;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.crosssigning.CrossSigningService;
import de.tim.homeserver.e2ee.devicelists.DeviceListService;
import de.tim.homeserver.e2ee.keys.KeysService;
import de.tim.homeserver.e2ee.todevice.ToDeviceService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A deleted device (its tokens are already revoked) loses its keys, signatures on them and its
 * to-device inbox; room partners see the user in {@code device_lists.changed}. Each step is idempotent,
 * so a repeated deletion after a crash completes the rest; the change is recorded last. The services are
 * looked up at call time: they depend on {@code DeviceService}, which depends on this listener.
 */
@Component
class E2eeDeviceDeletion implements DeviceDeletionListener {

    private final ObjectProvider<KeysService> keys;
    private final ObjectProvider<CrossSigningService> crossSigning;
    private final ObjectProvider<ToDeviceService> toDevice;
    private final ObjectProvider<DeviceListService> deviceLists;

    E2eeDeviceDeletion(ObjectProvider<KeysService> keys, ObjectProvider<CrossSigningService> crossSigning,
            ObjectProvider<ToDeviceService> toDevice, ObjectProvider<DeviceListService> deviceLists) {
        this.keys = keys;
        this.crossSigning = crossSigning;
        this.toDevice = toDevice;
        this.deviceLists = deviceLists;
    }

    @Override
    public void deviceDeleted(Domain domain, String userId, String deviceId) {
        keys.getObject().deviceDeleted(domain, userId, deviceId);
        crossSigning.getObject().deviceDeleted(domain, userId, deviceId);
        toDevice.getObject().deviceDeleted(domain, userId, deviceId);
        deviceLists.getObject().changed(domain, userId);
    }
}

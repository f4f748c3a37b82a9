package de.tim.homeserver.device;

import de.tim.homeserver.domain.Domain;

/** Called after a device and its tokens were deleted; E2EE drops the device's keys, push its pushers. */
public interface DeviceDeletionListener {

    void deviceDeleted(Domain domain, String userId, String deviceId);
}

package de.tim.homeserver.e2ee;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;

/**
 * The seam to federation for users of other servers: key queries and claims ({@code /_matrix/federation/v1/user/keys/*})
 * and to-device messages (EDU {@code m.direct_to_device}). The federation capability provides a bean (callers take it through an {@code ObjectProvider});
 * without one, {@link Unavailable} reports every remote server in {@code failures} and drops nothing
 * silently: to-device messages to remote users are logged (count only) as not sent.
 *
 * <p>Incoming direction, for the federation capability: {@code ToDeviceService.receiveRemote} queues an
 * {@code m.direct_to_device} EDU for local devices; {@code DeviceListService.changed(domain, remoteUser)}
 * records an {@code m.device_list_update} so local room partners see the remote user in {@code device_lists}.
 */
public interface RemoteE2ee {

    /** {@code /keys/query} for the users of {@code server}: the answer's object or empty when unreachable. */
    Optional<ObjectNode> queryKeys(Domain domain, String server, Map<String, JsonNode> deviceKeys);

    /** {@code /keys/claim} for the users of {@code server}: the answer's object or empty when unreachable. */
    Optional<ObjectNode> claimKeys(Domain domain, String server, Map<String, Map<String, String>> oneTimeKeys);

    /** Queues the to-device messages for the users of {@code server}; false when federation is not available. */
    boolean sendToDevice(Domain domain, String server, String sender, String type, String messageId,
            Map<String, Map<String, JsonNode>> messages);

    /** Used when no federation bean is present. */
    final class Unavailable implements RemoteE2ee {

        @Override
        public Optional<ObjectNode> queryKeys(Domain domain, String server, Map<String, JsonNode> deviceKeys) {
            return Optional.empty();
        }

        @Override
        public Optional<ObjectNode> claimKeys(Domain domain, String server, Map<String, Map<String, String>> oneTimeKeys) {
            return Optional.empty();
        }

        @Override
        public boolean sendToDevice(Domain domain, String server, String sender, String type, String messageId,
                Map<String, Map<String, JsonNode>> messages) {
            return false;
        }
    }
}

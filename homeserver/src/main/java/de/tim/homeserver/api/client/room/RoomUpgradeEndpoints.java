package de.tim.homeserver.api.client.room;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.room.RoomUpgrades;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec module "Room upgrades". */
@RestController
public class RoomUpgradeEndpoints {

    private final RoomUpgrades upgrades;

    RoomUpgradeEndpoints(RoomUpgrades upgrades) {
        this.upgrades = upgrades;
    }

    /** {@code POST /_matrix/client/v3/rooms/{roomId}/upgrade} */
    @PostMapping("/_matrix/client/v3/rooms/{roomId}/upgrade")
    Map<String, Object> upgrade(Requester requester, @PathVariable String roomId, @RequestBody JsonNode body) {
        return Map.of("replacement_room", upgrades.upgrade(requester, roomId, body));
    }
}

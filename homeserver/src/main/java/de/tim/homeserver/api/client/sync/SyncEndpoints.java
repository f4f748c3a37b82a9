package de.tim.homeserver.api.client.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.filter.FilterService;
import de.tim.homeserver.presence.PresenceService;
import de.tim.homeserver.room.SyncRequest;
import de.tim.homeserver.room.SyncService;
import de.tim.homeserver.room.SyncToken;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Syncing". */
@RestController
public class SyncEndpoints {

    private final SyncService sync;
    private final FilterService filters;
    private final PresenceService presence;
    private final ObjectMapper json;

    SyncEndpoints(SyncService sync, FilterService filters, PresenceService presence, ObjectMapper json) {
        this.sync = sync;
        this.filters = filters;
        this.presence = presence;
        this.json = json;
    }

    /**
     * {@code GET /_matrix/client/v3/sync}. {@code set_presence}, when given, updates the stored presence if it
     * differs (without it the presence is left as the client last set it).
     */
    @GetMapping("/_matrix/client/v3/sync")
    ObjectNode sync(Requester requester, @RequestParam(required = false) String since,
            @RequestParam(required = false) String filter,
            @RequestParam(name = "full_state", required = false, defaultValue = "false") boolean fullState,
            @RequestParam(name = "set_presence", required = false) String setPresence,
            @RequestParam(required = false, defaultValue = "0") long timeout) {
        if (setPresence != null && !setPresence.equals("online") && !setPresence.equals("offline")
                && !setPresence.equals("unavailable")) {
            throw MatrixException.invalidParam("Invalid set_presence");
        }
        JsonNode filterJson = null;
        if (filter != null && !filter.isEmpty()) {
            if (filter.startsWith("{")) {
                try {
                    filterJson = json.readTree(filter);
                } catch (JsonProcessingException e) {
                    throw MatrixException.notJson("filter is not JSON");
                }
                filters.validate(filterJson);
            } else {
                filterJson = filters.find(requester.domain(), requester.userId(), filter)
                        .orElseThrow(() -> MatrixException.invalidParam("Unknown filter"));
            }
        }
        if (setPresence != null && !setPresence.equals(presence.get(requester.domain(), requester.userId()).presence())) {
            presence.set(requester.domain(), requester.userId(), setPresence, null);
        }
        SyncToken sinceToken = since == null || since.isEmpty() ? null : SyncToken.parse(since);
        return sync.sync(requester, new SyncRequest(sinceToken, filterJson, fullState, timeout));
    }
}

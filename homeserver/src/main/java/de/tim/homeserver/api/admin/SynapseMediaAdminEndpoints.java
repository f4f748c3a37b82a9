package de.tim.homeserver.api.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.media.MediaDeletion;
import de.tim.homeserver.room.RoomAdminService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Synapse admin API for media (server admins of the Host's domain); only local media is deleted. */
@RestController
public class SynapseMediaAdminEndpoints {

    private final AdminAccess access;
    private final MediaDeletion deletion;
    private final RoomAdminService rooms;

    SynapseMediaAdminEndpoints(AdminAccess access, MediaDeletion deletion, RoomAdminService rooms) {
        this.access = access;
        this.deletion = deletion;
        this.rooms = rooms;
    }

    /** {@code DELETE /_synapse/admin/v1/media/{serverName}/{mediaId}} */
    @DeleteMapping("/_synapse/admin/v1/media/{serverName}/{mediaId}")
    Map<String, Object> deleteOne(Requester requester, @PathVariable String serverName, @PathVariable String mediaId) {
        access.requireAdmin(requester);
        return deleted(deletion.deleteOne(requester.domain(), serverName, mediaId));
    }

    /** {@code POST /_synapse/admin/v1/media/delete?before_ts=&size_gt=&keep_profiles=} */
    @PostMapping("/_synapse/admin/v1/media/delete")
    Map<String, Object> deleteBefore(Requester requester, @RequestParam(name = "before_ts", required = false) String beforeTs,
            @RequestParam(name = "size_gt", required = false) String sizeGt,
            @RequestParam(name = "keep_profiles", required = false) String keepProfiles) {
        access.requireAdmin(requester);
        if (beforeTs == null) {
            throw MatrixException.missingParam("Missing integer query parameter 'before_ts'");
        }
        return deleted(deletion.deleteBefore(requester.domain(), integer("before_ts", beforeTs),
                sizeGt == null ? 0 : integer("size_gt", sizeGt), bool("keep_profiles", keepProfiles)));
    }

    /** Deprecated form {@code POST /_synapse/admin/v1/media/{serverName}/delete}: local server name only. */
    @PostMapping("/_synapse/admin/v1/media/{serverName}/delete")
    Map<String, Object> deleteBeforeOnServer(Requester requester, @PathVariable String serverName,
            @RequestParam(name = "before_ts", required = false) String beforeTs,
            @RequestParam(name = "size_gt", required = false) String sizeGt,
            @RequestParam(name = "keep_profiles", required = false) String keepProfiles) {
        access.requireAdmin(requester);
        if (!requester.domain().serverName().equals(serverName)) {
            throw MatrixException.invalidParam("Can only delete local media");
        }
        return deleteBefore(requester, beforeTs, sizeGt, keepProfiles);
    }

    /** {@code GET /_synapse/admin/v1/room/{roomId}/media} */
    @GetMapping("/_synapse/admin/v1/room/{roomId}/media")
    Map<String, List<String>> roomMedia(Requester requester, @PathVariable String roomId) {
        access.requireAdmin(requester);
        rooms.details(requester.domain(), roomId);
        return deletion.roomMedia(requester.domain(), roomId);
    }

    private static Map<String, Object> deleted(List<String> ids) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("deleted_media", ids);
        response.put("total", ids.size());
        return response;
    }

    private static long integer(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter '" + name + "' must be an integer");
        }
    }

    private static boolean bool(String name, String value) {
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw MatrixException.invalidParam("Boolean query parameter '" + name + "' must be one of ['true', 'false']");
    }
}

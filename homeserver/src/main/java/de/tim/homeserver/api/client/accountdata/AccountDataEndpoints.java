package de.tim.homeserver.api.client.accountdata;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.accountdata.AccountDataService;
import de.tim.homeserver.api.client.UserPaths;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec areas "Client config" (account data) and "Room tagging". */
@RestController
public class AccountDataEndpoints {

    /** Types the server manages itself; clients get 405 M_BAD_JSON when writing them. */
    private static final Set<String> SERVER_MANAGED = Set.of("m.fully_read", "m.push_rules");
    private static final int MAX_TAG_LENGTH = 255;

    private final AccountDataService accountData;

    AccountDataEndpoints(AccountDataService accountData) {
        this.accountData = accountData;
    }

    /** {@code PUT /_matrix/client/v3/user/{userId}/account_data/{type}} */
    @PutMapping("/_matrix/client/v3/user/{userId}/account_data/{type}")
    Map<String, Object> putGlobal(Requester requester, @PathVariable String userId, @PathVariable String type,
            @RequestBody JsonNode content) {
        UserPaths.requireSelf(requester, userId);
        requireClientType(type);
        accountData.put(requester.domain(), userId, null, type, content);
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/user/{userId}/account_data/{type}} */
    @GetMapping("/_matrix/client/v3/user/{userId}/account_data/{type}")
    JsonNode getGlobal(Requester requester, @PathVariable String userId, @PathVariable String type) {
        UserPaths.requireSelf(requester, userId);
        return accountData.get(requester.domain(), userId, null, type)
                .orElseThrow(() -> MatrixException.notFound("Account data not found"));
    }

    /** {@code PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}} */
    @PutMapping("/_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}")
    Map<String, Object> putRoom(Requester requester, @PathVariable String userId, @PathVariable String roomId,
            @PathVariable String type, @RequestBody JsonNode content) {
        UserPaths.requireSelf(requester, userId);
        MatrixIds.requireRoomId(roomId);
        requireClientType(type);
        accountData.put(requester.domain(), userId, roomId, type, content);
        return Map.of();
    }

    /** {@code GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}} */
    @GetMapping("/_matrix/client/v3/user/{userId}/rooms/{roomId}/account_data/{type}")
    JsonNode getRoom(Requester requester, @PathVariable String userId, @PathVariable String roomId,
            @PathVariable String type) {
        UserPaths.requireSelf(requester, userId);
        MatrixIds.requireRoomId(roomId);
        return accountData.get(requester.domain(), userId, roomId, type)
                .orElseThrow(() -> MatrixException.notFound("Account data not found"));
    }

    /** {@code GET /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags} */
    @GetMapping("/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags")
    Map<String, Object> tags(Requester requester, @PathVariable String userId, @PathVariable String roomId) {
        UserPaths.requireSelf(requester, userId);
        MatrixIds.requireRoomId(roomId);
        return Map.of("tags", accountData.tags(requester.domain(), userId, roomId));
    }

    /** {@code PUT /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}} */
    @PutMapping("/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}")
    Map<String, Object> putTag(Requester requester, @PathVariable String userId, @PathVariable String roomId,
            @PathVariable String tag, @RequestBody JsonNode content) {
        UserPaths.requireSelf(requester, userId);
        MatrixIds.requireRoomId(roomId);
        if (tag.isEmpty() || tag.length() > MAX_TAG_LENGTH) {
            throw MatrixException.invalidParam("Invalid tag");
        }
        accountData.putTag(requester.domain(), userId, roomId, tag, content);
        return Map.of();
    }

    /** {@code DELETE /_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}} */
    @DeleteMapping("/_matrix/client/v3/user/{userId}/rooms/{roomId}/tags/{tag}")
    Map<String, Object> deleteTag(Requester requester, @PathVariable String userId, @PathVariable String roomId,
            @PathVariable String tag) {
        UserPaths.requireSelf(requester, userId);
        MatrixIds.requireRoomId(roomId);
        accountData.deleteTag(requester.domain(), userId, roomId, tag);
        return Map.of();
    }

    private static void requireClientType(String type) {
        if (SERVER_MANAGED.contains(type)) {
            throw new MatrixException(405, "M_BAD_JSON", "This account data type is managed by the server");
        }
    }
}

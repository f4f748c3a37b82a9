package de.tim.homeserver.e2ee.devicelists;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.RoomReader;
import de.tim.homeserver.room.SyncToken;
import org.springframework.stereotype.Component;

/**
 * {@code GET /keys/changes}: the device list delta between two sync tokens, with the room membership
 * changes of the same window taken into account, as {@code /sync} does. Users who started sharing a room
 * with the caller in the window (they joined one of the caller's rooms, or the caller joined theirs) are
 * {@code changed} while they share one now; users whose shared rooms were left in the window (by them or by
 * the caller) are {@code left} unless they still share a room.
 */
@Component
public class KeyChanges {

    private final DeviceListService deviceLists;
    private final RoomReader rooms;

    KeyChanges(DeviceListService deviceLists, RoomReader rooms) {
        this.deviceLists = deviceLists;
        this.rooms = rooms;
    }

    public DeviceListService.Delta between(Domain domain, String userId, SyncToken from, SyncToken to) {
        Set<String> newlySharing = new LinkedHashSet<>();
        Set<String> leftCandidates = new LinkedHashSet<>();
        for (RoomReader.MembershipChange change : rooms.membershipChanges(domain, userId, from.events(), to.events())) {
            boolean joined = "join".equals(change.membership());
            boolean left = "leave".equals(change.membership()) || "ban".equals(change.membership());
            if (!joined && !left) {
                continue;
            }
            List<String> affected = change.userId().equals(userId)
                    ? rooms.joinedMemberIds(domain, change.roomId()) : List.of(change.userId());
            for (String user : affected) {
                if (user.equals(userId)) {
                    continue;
                }
                if (joined) {
                    newlySharing.add(user);
                    leftCandidates.remove(user);
                } else {
                    leftCandidates.add(user);
                    newlySharing.remove(user);
                }
            }
        }
        long upTo = Math.min(to.deviceLists(), deviceLists.upTo(domain));
        return deviceLists.delta(domain, userId, from.deviceLists(), upTo, newlySharing, leftCandidates);
    }
}

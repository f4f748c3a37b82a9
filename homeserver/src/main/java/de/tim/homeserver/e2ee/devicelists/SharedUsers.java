package de.tim.homeserver.e2ee.devicelists;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.RoomReader;
import org.springframework.stereotype.Component;

/**
 * Which users share a joined room with a user. Asked per candidate (the few users changed in a sync
 * window), so the cost is one membership lookup per candidate plus one for the user, independent of the
 * size of the user's rooms.
 */
@Component
public class SharedUsers {

    private final RoomReader rooms;

    SharedUsers(RoomReader rooms) {
        this.rooms = rooms;
    }

    /** Every other user joined to a room the user is joined to. */
    public Set<String> all(Domain domain, String userId) {
        Set<String> result = new LinkedHashSet<>();
        for (String roomId : rooms.joinedRooms(domain, userId)) {
            result.addAll(rooms.joinedMemberIds(domain, roomId));
        }
        result.remove(userId);
        return result;
    }

    /** The candidates (other than the user) that are joined to at least one room the user is joined to. */
    public Set<String> among(Domain domain, String userId, Collection<String> candidates) {
        Set<String> result = new LinkedHashSet<>();
        if (candidates.isEmpty()) {
            return result;
        }
        Set<String> mine = new HashSet<>(rooms.joinedRooms(domain, userId));
        for (String candidate : new LinkedHashSet<>(candidates)) {
            if (!candidate.equals(userId) && !mine.isEmpty()
                    && !Collections.disjoint(mine, rooms.joinedRooms(domain, candidate))) {
                result.add(candidate);
            }
        }
        return result;
    }
}

package de.tim.homeserver.e2ee.devicelists;

import java.util.LinkedHashSet;
import java.util.Set;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.RoomReader;
import de.tim.homeserver.room.StateEntry;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.StateKey;
import org.springframework.stereotype.Component;

/** The users who share a room with a user (joined or invited members of the rooms the user has joined). */
@Component
public class SharedUsers {

    private final RoomReader rooms;

    SharedUsers(RoomReader rooms) {
        this.rooms = rooms;
    }

    public Set<String> of(Domain domain, String userId) {
        Set<String> users = new LinkedHashSet<>();
        for (String roomId : rooms.joinedRooms(domain, userId)) {
            try {
                rooms.view(domain, userId, roomId).state().forEach((key, entry) -> addMember(users, key, entry));
            } catch (MatrixException e) {
                // left between the two reads: shares nothing through this room any more
            }
        }
        users.remove(userId);
        return users;
    }

    /** Adds a member state entry's user when joined or invited. */
    public static void addMember(Set<String> users, StateKey key, StateEntry entry) {
        if (key.type().equals("m.room.member") && ("join".equals(entry.value()) || "invite".equals(entry.value()))) {
            users.add(key.stateKey());
        }
    }

    /** Whether the two users share a room. */
    public boolean share(Domain domain, String userId, String other) {
        return userId.equals(other) || of(domain, userId).contains(other);
    }
}

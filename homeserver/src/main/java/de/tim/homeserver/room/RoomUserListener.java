package de.tim.homeserver.room;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.user.ProfileChangeListener;
import de.tim.homeserver.user.UserDeactivationListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Room side of user life-cycle events: deactivated users leave their rooms, profile changes become
 * new member events (the room service is looked up lazily: it depends on the user service); at start-up, appends interrupted by a crash are completed.
 */
@Component
class RoomUserListener implements UserDeactivationListener, ProfileChangeListener, ApplicationRunner {

    private final ObjectProvider<RoomService> rooms;
    private final EventPersister persister;
    private final DomainRegistry registry;

    RoomUserListener(ObjectProvider<RoomService> rooms, EventPersister persister, DomainRegistry registry) {
        this.rooms = rooms;
        this.persister = persister;
        this.registry = registry;
    }

    @Override
    public void userDeactivated(Domain domain, String userId, boolean erase) {
        rooms.getObject().leaveAll(domain, userId);
    }

    @Override
    public void profileChanged(Domain domain, String userId, String displayname, String avatarUrl) {
        rooms.getObject().refreshProfile(domain, userId);
    }

    @Override
    public void run(ApplicationArguments args) {
        for (Domain domain : registry.all()) {
            persister.recover(domain);
        }
    }
}

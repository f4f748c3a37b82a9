package de.tim.gateway.contactlist;

import java.time.Clock;
import java.util.List;

import de.tim.matrix.id.UserId;

/**
 * The users' contact lists ("Freigabeliste"): each user manages only their own, and an active entry
 * decides stage 2 of the permission concept for invites to that user.
 */
public class ContactManagementService {

    private final ContactSettingRepository repository;
    private final Clock clock;

    ContactManagementService(ContactSettingRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    List<ContactSetting> list(UserId owner) {
        return repository.findAll(owner);
    }

    ContactSetting get(UserId owner, UserId contact) {
        return repository.find(owner, contact)
                .orElseThrow(() -> ContactManagementException.notFound("No contact setting for this mxid"));
    }

    ContactSetting create(ContactSetting setting) {
        if (!repository.insert(setting)) {
            throw ContactManagementException.conflict("A contact setting for this mxid exists already; use PUT to change it");
        }
        return setting;
    }

    ContactSetting update(ContactSetting setting) {
        if (!repository.replace(setting)) {
            throw ContactManagementException.notFound("No contact setting for this mxid");
        }
        return setting;
    }

    void delete(UserId owner, UserId contact) {
        if (!repository.delete(owner, contact)) {
            throw ContactManagementException.notFound("No contact setting for this mxid");
        }
    }

    /** Stage 2: whether {@code invitee}'s contact list allows {@code inviter} to invite them right now. */
    public boolean allowsInvite(UserId invitee, UserId inviter) {
        return repository.find(invitee, inviter).map(s -> s.activeAt(clock.instant())).orElse(false);
    }

    /** Removes expired entries; returns how many. */
    long removeExpired() {
        return repository.deleteExpired(clock.instant());
    }
}

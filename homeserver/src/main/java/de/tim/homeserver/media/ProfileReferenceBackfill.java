package de.tim.homeserver.media;

import java.time.Clock;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.user.User;
import de.tim.homeserver.user.UserService;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Once per domain: records the profile avatars of users whose avatar was set before profile references
 * were tracked, so purging a room never deletes a user's current avatar. Idempotent; a marker document
 * is written last, so an interrupted run starts over.
 */
@Component
class ProfileReferenceBackfill implements ApplicationRunner {

    private static final int PAGE = 500;

    private final DomainRegistry registry;
    private final UserService users;
    private final MediaReferenceRepository references;
    private final MediaRepository repository;
    private final Clock clock = Clock.systemUTC();

    ProfileReferenceBackfill(DomainRegistry registry, UserService users, MediaReferenceRepository references,
            MediaRepository repository) {
        this.registry = registry;
        this.users = users;
        this.references = references;
        this.repository = repository;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (Domain domain : registry.all()) {
            backfill(domain);
        }
    }

    void backfill(Domain domain) {
        if (references.profilesBackfilled(domain.database())) {
            return;
        }
        for (int from = 0; ; from += PAGE) {
            UserService.Page page = users.list(domain, from, PAGE, null, true);
            for (User user : page.users()) {
                MediaUris.MxcUri uri = MediaUris.MxcUri.parse(user.avatarUrl());
                if (uri != null) {
                    references.add(domain.database(), MediaReferenceRepository.PROFILE + user.userId(), uri,
                            clock.millis());
                    if (uri.serverName().equals(domain.serverName())) {
                        repository.markReferenced(domain.database(), uri.mediaId(), true);
                    }
                }
            }
            if (page.users().size() < PAGE) {
                break;
            }
        }
        references.markProfilesBackfilled(domain.database());
    }
}

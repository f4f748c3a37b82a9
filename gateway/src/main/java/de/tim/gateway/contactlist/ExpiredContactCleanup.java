package de.tim.gateway.contactlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Removes contact settings whose {@code inviteSettings.end} has passed. */
@Component
class ExpiredContactCleanup {

    private static final Logger log = LoggerFactory.getLogger(ExpiredContactCleanup.class);

    private final ContactManagementService contacts;

    ExpiredContactCleanup(ContactManagementService contacts) {
        this.contacts = contacts;
    }

    @Scheduled(fixedDelayString = "${" + ContactManagementProperties.PREFIX + ".cleanup-interval:10m}",
            initialDelayString = "${" + ContactManagementProperties.PREFIX + ".cleanup-interval:10m}")
    void removeExpired() {
        try {
            long removed = contacts.removeExpired();
            if (removed > 0) {
                log.info("Removed {} expired contact settings", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Removing expired contact settings failed: {}", e.toString());
        }
    }
}

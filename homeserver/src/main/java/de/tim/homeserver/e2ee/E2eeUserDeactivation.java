package de.tim.homeserver.e2ee;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.e2ee.backup.BackupService;
import de.tim.homeserver.e2ee.crosssigning.CrossSigningService;
import de.tim.homeserver.user.UserDeactivationListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A deactivated user (whose devices, with their keys and inboxes, are deleted already) also loses the
 * cross-signing keys and the server-side key backups. Both steps are idempotent.
 */
@Component
class E2eeUserDeactivation implements UserDeactivationListener {

    private final ObjectProvider<CrossSigningService> crossSigning;
    private final ObjectProvider<BackupService> backups;

    E2eeUserDeactivation(ObjectProvider<CrossSigningService> crossSigning, ObjectProvider<BackupService> backups) {
        this.crossSigning = crossSigning;
        this.backups = backups;
    }

    @Override
    public void userDeactivated(Domain domain, String userId, boolean erase) {
        backups.getObject().userDeactivated(domain, userId);
        crossSigning.getObject().userDeactivated(domain, userId);
    }
}

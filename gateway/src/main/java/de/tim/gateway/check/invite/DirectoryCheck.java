package de.tim.gateway.check.invite;

import de.tim.matrix.id.UserId;

/**
 * Stage 3: the registration service's directory check (I_internVerification): an invite is allowed if
 * the invitee is in the organisation directory, or both are in the practitioner directory, with the
 * directory visibility honoured.
 */
@FunctionalInterface
public interface DirectoryCheck {

    /** Whether the directory allows the invite; false also when the check cannot be made (fail closed). */
    boolean allows(UserId inviter, UserId invitee);
}

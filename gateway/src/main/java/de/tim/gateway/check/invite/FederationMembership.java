package de.tim.gateway.check.invite;

import de.tim.matrix.id.ServerName;

/** Stage 1: whether a server belongs to the TI federation (or is one of this gateway's own domains). */
@FunctionalInterface
public interface FederationMembership {

    boolean isMember(ServerName serverName);
}

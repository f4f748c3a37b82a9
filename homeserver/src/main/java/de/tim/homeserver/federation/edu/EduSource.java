package de.tim.homeserver.federation.edu;

import de.tim.homeserver.domain.Domain;

/**
 * A producer of outbound EDUs that scans a stream of its own (device list changes, presence) on every round
 * of {@link ReliableEduSender}: at least once a second and whenever an EDU was queued.
 */
public interface EduSource {

    void scan(Domain domain);
}

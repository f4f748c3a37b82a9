package de.tim.homeserver.federation.e2ee;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.edu.EduSource;
import de.tim.homeserver.federation.edu.ReliableEduSender;
import org.springframework.stereotype.Component;

/**
 * Forgets inbound to-device message ids after {@code edu-retention} and drops outbound EDUs that waited longer than
 * {@code outbound-edu-max-age} (their destination never came back); at most hourly per domain, in the EDU sender's loop.
 */
@Component
class EduRetention implements EduSource {

    private static final long INTERVAL_MS = 3_600_000;

    private final InboundToDeviceRepository repository;
    private final ReliableEduSender edus;
    private final FederationE2eeProperties properties;
    private final java.util.Map<String, Long> lastRun = new java.util.concurrent.ConcurrentHashMap<>();

    EduRetention(InboundToDeviceRepository repository, ReliableEduSender edus, FederationE2eeProperties properties) {
        this.repository = repository;
        this.edus = edus;
        this.properties = properties;
    }

    @Override
    public void scan(Domain domain) {
        long now = System.currentTimeMillis();
        if (now - lastRun.getOrDefault(domain.databaseName(), 0L) < INTERVAL_MS) {
            return;
        }
        lastRun.put(domain.databaseName(), now);
        repository.deleteBefore(domain.database(), now - properties.eduRetention().toMillis());
        edus.dropQueuedBefore(domain, now - properties.outboundEduMaxAge().toMillis());
    }
}

package de.tim.homeserver.federation.edu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.e2ee.JsonText;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.queue.DestinationBackoff;
import de.tim.homeserver.federation.queue.DestinationLeases;
import de.tim.homeserver.federation.queue.DestinationSendLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Delivers the EDUs that must not be lost ({@code m.direct_to_device}, {@code m.device_list_update},
 * {@code m.signing_key_update}) from the persisted queue ({@link OutboundEduRepository}), like PDUs: per
 * destination one transaction at a time (≤ 100 EDUs, ≤ 200 KB, oldest first); success deletes the entries,
 * a failure backs the destination off with the PDU sender's backoff ({@link DestinationBackoff}) and the
 * entries wait. A refusal of the transaction itself (400, 413) drops it, as it would be refused forever.
 * The loop ({@link DestinationSendLoop}, shared with the PDU sender) is woken by every enqueue and at least once a
 * second; each round also lets the {@link EduSource}s scan their streams.
 */
@Component
public class ReliableEduSender extends DestinationSendLoop {

    private static final Logger log = LoggerFactory.getLogger(ReliableEduSender.class);
    static final int TXN_EDUS = 100;
    static final int MAX_TXN_BYTES = 200 * 1024;

    private final OutboundEduRepository queue;
    private final ObjectProvider<EduSource> sources;
    private final AtomicLong lastSeq = new AtomicLong();

    ReliableEduSender(DomainRegistry registry, OutboundEduRepository queue, DestinationBackoff backoff,
            DestinationLeases leases, FederationClient client, ObjectProvider<EduSource> sources) {
        super("federation-edu-sender", registry, backoff, leases, client);
        this.queue = queue;
        this.sources = sources;
    }

    /**
     * Queues an EDU for a destination. {@code key} names what the EDU is (the same key again is a no-op), so
     * a producer that repeats itself after a crash queues nothing twice.
     */
    public void enqueue(Domain domain, String destination, String key, String type, ObjectNode content) {
        queue.enqueue(domain.database(), destination, key, nextSeq(), type, JsonText.write(content));
        wake();
    }

    /** How far a producer scanned its source stream (-1 before its first scan). */
    public long cursor(Domain domain, String stream) {
        return queue.cursor(domain.database(), stream);
    }

    public void setCursor(Domain domain, String stream, long pos) {
        queue.setCursor(domain.database(), stream, pos);
    }

    /** Drops EDUs queued before {@code ts} that no destination took (a destination gone for good); how many. */
    public long dropQueuedBefore(Domain domain, long ts) {
        long dropped = queue.deleteCreatedBefore(domain.database(), ts);
        if (dropped > 0) {
            log.warn("{} queued EDUs were older than the retention and dropped", dropped);
        }
        return dropped;
    }

    private long nextSeq() {
        long now = System.currentTimeMillis() * 1000;
        return lastSeq.updateAndGet(last -> Math.max(last + 1, now));
    }

    @Override
    protected void round(Domain domain) {
        for (EduSource source : sources.orderedStream().toList()) {
            try {
                source.scan(domain);
            } catch (RuntimeException e) {
                log.warn("EDU source {} failed: {}", source.getClass().getSimpleName(), e.toString());
            }
        }
        dispatch(domain, queue.destinations(domain.database()));
    }

    @Override
    protected Transaction next(Domain domain, String destination) {
        List<OutboundEduRepository.Entry> entries = queue.oldest(domain.database(), destination, TXN_EDUS);
        if (entries.isEmpty()) {
            return null;
        }
        List<OutboundEduRepository.Entry> batch = new ArrayList<>();
        int bytes = 0;
        for (OutboundEduRepository.Entry entry : entries) {
            int size = entry.content().length() + 64;
            if (!batch.isEmpty() && bytes + size > MAX_TXN_BYTES) {
                break;
            }
            bytes += size;
            batch.add(entry);
        }
        List<ObjectNode> edus = new ArrayList<>();
        for (OutboundEduRepository.Entry entry : batch) {
            ObjectNode edu = JsonNodeFactory.instance.objectNode().put("edu_type", entry.type());
            edu.set("content", JsonText.readObject(entry.content()));
            edus.add(edu);
        }
        return new Transaction(txnId(batch), List.of(), edus, () -> queue.remove(domain.database(), batch), () -> {
            queue.remove(domain.database(), batch);
            log.warn("A destination refused a transaction of {} EDUs; they are dropped", batch.size());
        });
    }

    /** The same batch gets the same transaction id, so the receiver recognises a retry. */
    private static String txnId(List<OutboundEduRepository.Entry> batch) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (OutboundEduRepository.Entry entry : batch) {
                digest.update(entry.id().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return "edu" + HexFormat.of().formatHex(digest.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

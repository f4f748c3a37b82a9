package de.tim.homeserver.federation.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.edu.OutboundEduSender;
import de.tim.homeserver.room.EventWatermark;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RoomNotifier;
import de.tim.homeserver.room.StoredEvent;
import de.tim.matrix.event.EventTypes;
import org.springframework.stereotype.Component;

/**
 * Sends our events to the other servers in their rooms. One virtual thread, woken by every local append
 * (and at least every second), scans each domain's event stream from its persisted cursor up to the read
 * watermark and queues every event our server originated for each other server with a joined member in
 * the state after it (for membership events also the target's server, except invites, which go by
 * {@code /invite}). Per destination one transaction at a time (≤ 50 PDUs and ≤ 512 KB, oldest first, txn id from the
 * positions so a retry repeats it); on failure the destination backs off exponentially
 * ({@code retry-initial} doubling up to {@code retry-max}) and catches up from the queue when it answers.
 * Queue and cursor live in MongoDB, so nothing is lost across restarts.
 */
@Component
public class FederationSender extends DestinationSendLoop {

    private static final int SCAN_BATCH = 500;
    private static final int TXN_PDUS = 50;
    /** Receivers bound request bodies (ours: {@code tim.homeserver.http.max-body-size}, 1 MB by default). */
    private static final int MAX_TXN_BYTES = 512 * 1024;

    private final FederationRoomReader reader;
    private final EventWatermark watermark;
    private final OutboundQueueRepository queue;
    private final OutboundEduSender edus;
    /** Domains whose queue had entries at the last look, and when the queue was last looked at. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Long> lastLook = new ConcurrentHashMap<>();

    FederationSender(DomainRegistry registry, FederationRoomReader reader, EventWatermark watermark, RoomNotifier notifier,
            OutboundQueueRepository queue, DestinationBackoff backoff, DestinationLeases leases, FederationClient client,
            OutboundEduSender edus) {
        super("federation-sender", registry, backoff, leases, client);
        this.edus = edus;
        this.reader = reader;
        this.watermark = watermark;
        this.queue = queue;
        notifier.onNotify("federation-sender", this::wake);
    }

    @Override
    protected void round(Domain domain) {
        boolean enqueued = scan(domain);
        long now = System.currentTimeMillis();
        // the queue is read only when something was queued or is waiting, or once a second
        if (enqueued || queued.contains(domain.databaseName())
                || now - lastLook.getOrDefault(domain.databaseName(), 0L) >= 1000) {
            lastLook.put(domain.databaseName(), now);
            List<String> waiting = queue.destinations(domain.database());
            if (waiting.isEmpty()) {
                queued.remove(domain.databaseName());
            } else {
                queued.add(domain.databaseName());
            }
            dispatch(domain, waiting);
        }
        edus.scan(domain);
    }

    /** Moves new events of the domain into the queue; whether anything was queued. */
    boolean scan(Domain domain) {
        long cursor = queue.cursor(domain.database());
        long upTo = watermark.upTo(domain);
        if (cursor < 0) {
            // first start: federation begins now, older events are not sent
            queue.setCursor(domain.database(), upTo);
            return false;
        }
        boolean enqueued = false;
        while (cursor < upTo) {
            FederationRoomReader.StreamPage page = reader.streamAfter(domain, cursor, upTo, SCAN_BATCH);
            for (StoredEvent event : page.events()) {
                for (String destination : destinationsOf(domain, event)) {
                    queue.enqueue(domain.database(), destination, event.pos(), event.eventId());
                    enqueued = true;
                }
            }
            if (page.lastPos() == cursor) {
                break;
            }
            cursor = page.lastPos();
            queue.setCursor(domain.database(), cursor);
        }
        return enqueued;
    }

    private Set<String> destinationsOf(Domain domain, StoredEvent event) {
        if (!event.pdu().sender().domain().toString().equals(domain.serverName())) {
            return Set.of();
        }
        Set<String> servers = new java.util.LinkedHashSet<>(reader.joinedServersAfter(domain, event));
        if (EventTypes.MEMBER.equals(event.type()) && !event.pdu().membership().filter(EventTypes.INVITE::equals).isPresent()) {
            event.pdu().stateKey().ifPresent(target -> {
                int colon = target.indexOf(':');
                if (colon > 0) {
                    servers.add(target.substring(colon + 1));
                }
            });
        }
        servers.remove(domain.serverName());
        return servers;
    }

    @Override
    protected Transaction next(Domain domain, String destination) {
        List<OutboundQueueRepository.Entry> entries = queue.oldest(domain.database(), destination, TXN_PDUS);
        if (entries.isEmpty()) {
            return null;
        }
        List<ObjectNode> pdus = new ArrayList<>();
        java.util.Map<String, ObjectNode> byId = new java.util.HashMap<>();
        for (StoredEvent event : reader.events(domain, entries.stream().map(OutboundQueueRepository.Entry::eventId).toList())) {
            byId.put(event.eventId(), reader.federationJson(event));
        }
        // oldest first, and small enough for the receiver's body limit (at least one event)
        int bytes = 0;
        int taken = 0;
        for (OutboundQueueRepository.Entry entry : entries) {
            ObjectNode pdu = byId.get(entry.eventId());
            int size = pdu == null ? 0 : de.tim.matrix.json.CanonicalJson.encode(pdu).length;
            if (taken > 0 && bytes + size > MAX_TXN_BYTES) {
                break;
            }
            bytes += size;
            taken++;
            if (pdu != null) {
                pdus.add(pdu);
            }
        }
        List<OutboundQueueRepository.Entry> batch = entries.subList(0, taken);
        pdus.sort((a, b) -> Long.compare(a.path("depth").asLong(), b.path("depth").asLong()));
        String txnId = "p" + batch.getFirst().pos() + "-" + batch.getLast().pos();
        return Transaction.retried(txnId, pdus, List.of(), () -> queue.remove(domain.database(), batch));
    }
}

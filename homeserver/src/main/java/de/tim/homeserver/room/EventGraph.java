package de.tim.homeserver.room;

import java.util.Optional;

import com.mongodb.client.MongoDatabase;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.EventId;
import de.tim.matrix.stateres.EventSource;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Every event of a room this server knows, wherever it is kept: the timeline ({@link EventRepository})
 * first, then the outliers ({@link OutlierRepository}: auth chains, rejected and soft-failed events).
 */
@Component
class EventGraph {

    /** A known event: its PDU, the state groups around it (null if unknown), its outlier status (null: timeline). */
    record Node(Pdu pdu, String stateBefore, String stateAfter, String status, String reason) {

        boolean timeline() {
            return status == null;
        }

        boolean rejected() {
            return OutlierRepository.REJECTED.equals(status);
        }

        boolean softFailed() {
            return OutlierRepository.SOFT_FAILED.equals(status);
        }
    }

    private final EventRepository events;
    private final OutlierRepository outliers;

    EventGraph(EventRepository events, OutlierRepository outliers) {
        this.events = events;
        this.outliers = outliers;
    }

    /** The event, from the timeline or the outliers; null if unknown or purged. */
    Node find(MongoDatabase db, String eventId) {
        Document doc = events.find(db, eventId);
        if (doc != null && doc.getString("pdu") != null) {
            StoredEvent stored = StoredEvent.of(doc);
            return new Node(stored.pdu(), stored.stateBefore(), stored.stateAfter(), null, null);
        }
        Document outlier = outliers.find(db, eventId);
        return outlier == null ? null : outlier(outlier);
    }

    /** A node of a {@link OutlierRepository} document. */
    static Node outlier(Document outlier) {
        Pdu pdu = Pdu.fromStorage(StoredEvent.parse(outlier.getString("pdu")),
                RoomVersion.fromId(outlier.getString("version")).orElseThrow(), new EventId(outlier.getString("_id")));
        return new Node(pdu, outlier.getString("sg_before"), outlier.getString("sg_after"), outlier.getString("status"),
                outlier.getString("reason"));
    }

    /** Whether the event is known here as rejected. */
    boolean isRejected(MongoDatabase db, String eventId) {
        Document outlier = outliers.find(db, eventId);
        return outlier != null && OutlierRepository.REJECTED.equals(outlier.getString("status"))
                && events.find(db, eventId) == null;
    }

    /** Events that are not rejected, as an auth chain / state resolution source. */
    EventSource source(MongoDatabase db) {
        return id -> {
            Node node = find(db, id.value());
            return node == null || node.rejected() ? Optional.empty() : Optional.of(node.pdu());
        };
    }
}

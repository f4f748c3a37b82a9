package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.List;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.stream.StreamWatermark;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Typing notifications and public read receipts changed since a stream position (for outbound EDUs). The
 * {@code current*} ends are the streams' read watermarks: every change up to them is visible, so a cursor
 * advanced to them never passes a write still in flight.
 */
@Component
public class EphemeralChanges {

    private final EphemeralRepository repository;
    private final StreamWatermark watermark;

    EphemeralChanges(EphemeralRepository repository, StreamWatermark watermark) {
        this.repository = repository;
        this.watermark = watermark;
    }

    /** A typing change: typing until {@code until} (0: stopped). */
    public record Typing(String roomId, String userId, long until, long pos) {
    }

    /** A public read receipt. */
    public record Receipt(String roomId, String userId, String eventId, String threadId, long ts, long pos) {
    }

    public long currentTyping(Domain domain) {
        return watermark.upTo(domain, EphemeralService.TYPING);
    }

    public long currentReceipts(Domain domain) {
        return watermark.upTo(domain, EphemeralService.RECEIPTS);
    }

    public List<Typing> typing(Domain domain, long after, long upTo) {
        List<Typing> result = new ArrayList<>();
        for (Document d : repository.typingAfter(domain.database(), after, upTo)) {
            result.add(new Typing(d.getString("room_id"), d.getString("user_id"), d.getLong("until"), d.getLong("pos")));
        }
        return result;
    }

    public List<Receipt> readReceipts(Domain domain, long after, long upTo) {
        List<Receipt> result = new ArrayList<>();
        for (Document d : repository.receiptsAfter(domain.database(), after, upTo)) {
            if ("m.read".equals(d.getString("type"))) {
                result.add(new Receipt(d.getString("room_id"), d.getString("user_id"), d.getString("event_id"),
                        d.getString("thread_id"), d.getLong("ts"), d.getLong("pos")));
            }
        }
        return result;
    }
}

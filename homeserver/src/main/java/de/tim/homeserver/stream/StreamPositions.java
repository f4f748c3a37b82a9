package de.tim.homeserver.stream;

import java.util.List;

import de.tim.homeserver.domain.Domain;
import org.springframework.stereotype.Service;

/**
 * Per-domain, monotonic stream positions shared by all homeserver instances (MongoDB
 * {@code findOneAndUpdate} with {@code $inc}). Sync tokens are built from these positions: every
 * change a sync can return (room events, account data, to-device messages, presence, receipts...) is
 * stamped with the next position of its stream when written, and a sync "since" token records the
 * position of each stream it has seen.
 */
@Service
public class StreamPositions {

    /** Global and per-room account data, including tags. */
    public static final String ACCOUNT_DATA = "account_data";
    /** Presence updates. */
    public static final String PRESENCE = "presence";
    /** Room events (used by the room core). */
    public static final String EVENTS = "events";
    /** To-device messages (used by the E2EE capability). */
    public static final String TO_DEVICE = "to_device";
    /** Device list changes (used by the E2EE capability). */
    public static final String DEVICE_LISTS = "device_lists";
    /** Receipts (latest per room, user, type and thread). */
    public static final String RECEIPTS = "receipts";
    /**
     * History learnt by backfill: block {@code [h - n + 1, h]} of this counter becomes the negative event positions
     * {@code -h .. -(h - n + 1)}, below every stream position and every earlier backfill (see room's BackfillImport).
     */
    public static final String BACKFILL = "backfill";
    /** Typing notifications. */
    public static final String TYPING = "typing";
    /**
     * The streams whose writers record each position in the {@link StreamChangeLog} after their write and whose
     * readers read up to the {@link StreamWatermark}. (Events have their own watermark on the event documents;
     * to-device messages are delivered by inbox batches, not by position ranges.)
     */
    public static final List<String> LOGGED = List.of(ACCOUNT_DATA, PRESENCE, DEVICE_LISTS, RECEIPTS, TYPING);

    private final StreamPositionRepository repository;

    StreamPositions(StreamPositionRepository repository) {
        this.repository = repository;
    }

    /** Allocates the next position of the stream; strictly greater than any position handed out before. */
    public long next(Domain domain, String stream) {
        return repository.next(domain.database(), stream, 1);
    }

    /** Allocates {@code count} consecutive positions and returns the highest. */
    public long nextBlock(Domain domain, String stream, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count < 1");
        }
        return repository.next(domain.database(), stream, count);
    }

    /** The highest position allocated so far (0 before the first). */
    public long current(Domain domain, String stream) {
        return repository.current(domain.database(), stream);
    }
}

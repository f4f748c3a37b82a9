package de.tim.kafka.topics;

import java.util.Objects;

/**
 * A wake-up signal for long-polling {@code /sync} requests: a stream of a homeserver domain advanced. It
 * carries no user ids, device ids or content (nothing that tells who talks to whom); receivers only wake the
 * domain's waiting syncs, which then read their own changes from the database.
 *
 * @param domain   the Matrix server name of the homeserver domain whose stream advanced (also the record key)
 * @param stream   the stream's name ({@code to_device}, {@code device_lists}, {@code account_data},
 *                 {@code presence}, …)
 * @param position the stream position written (0 if the writer has none to name)
 * @param origin   random id of the sending homeserver instance, so it can skip its own signals (it has
 *                 woken its waiters already)
 */
public record SyncSignalRecord(String domain, String stream, long position, String origin) {

    public SyncSignalRecord {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(origin, "origin");
    }

    /** The record key: the domain, so one domain's signals stay in order. */
    public String key() {
        return domain;
    }
}

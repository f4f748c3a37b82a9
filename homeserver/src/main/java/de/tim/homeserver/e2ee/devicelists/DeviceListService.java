package de.tim.homeserver.e2ee.devicelists;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.room.SyncSignals;
import de.tim.homeserver.stream.StreamPositions;
import de.tim.homeserver.stream.StreamWatermark;
import org.springframework.stereotype.Service;

/**
 * The device list stream: every change of a user's devices or keys (new device keys, deleted device,
 * new cross-signing keys or signatures) gets one position of {@link StreamPositions#DEVICE_LISTS} and
 * one record naming the user.
 *
 * <p>Fan-out happens at read time: a reader takes the distinct users changed in its window (an indexed
 * range read on the position) and keeps those it shares a room with (one membership lookup each, see
 * {@link SharedUsers}). The alternative, one record per
 * recipient at write time, multiplies every key upload by the number of room partners and has to be
 * redone when memberships change; with one record per change, writes stay O(1) and a reader's cost is
 * bounded by the changes in its window, which is small between two syncs.
 *
 * <p>Records older than {@code tim.homeserver.streams.device-list-retention} are pruned ({@link DeviceListPruning}).
 * A window that starts below the pruned records cannot be answered exactly; it gets the superset the spec allows:
 * every user sharing a room is {@code changed} (the client re-queries their keys), plus the user themselves.
 */
@Service
public class DeviceListService {

    private final DeviceListRepository repository;
    private final StreamWatermark watermark;
    private final StreamPositions positions;
    private final SyncSignals signals;
    private final SharedUsers sharedUsers;

    DeviceListService(DeviceListRepository repository, StreamWatermark watermark, StreamPositions positions,
            SyncSignals signals, SharedUsers sharedUsers) {
        this.sharedUsers = sharedUsers;
        this.repository = repository;
        this.watermark = watermark;
        this.positions = positions;
        this.signals = signals;
    }

    /** Records that the user's devices or keys changed and wakes waiting syncs; returns the position. */
    public long changed(Domain domain, String userId) {
        long pos = repository.insert(domain.database(), positions.next(domain, StreamPositions.DEVICE_LISTS), userId);
        signals.changed(domain, StreamPositions.DEVICE_LISTS, pos);
        return pos;
    }

    /** One change of the stream. */
    public record Change(long pos, String userId) {
    }

    /** The changes in {@code (after, upTo]}, oldest first, at most {@code limit} (federation announces them). */
    public List<Change> changesAfter(Domain domain, long after, long upTo, int limit) {
        return repository.changesAfter(domain.database(), after, upTo, limit);
    }

    /** The highest position every change up to which is readable ({@link StreamWatermark}). */
    public long upTo(Domain domain) {
        return watermark.upTo(domain, StreamPositions.DEVICE_LISTS);
    }

    /** {@code device_lists} of a sync or {@code /keys/changes}. */
    public record Delta(List<String> changed, List<String> left) {
    }

    /**
     * The delta for {@code userId} in {@code (after, upTo]}: users changed in the window that share a room
     * now (and the user themselves), plus {@code newlySharing} that share a room now; {@code left} = those
     * of {@code leftCandidates} that share no room any more.
     */
    public Delta delta(Domain domain, String userId, long after, long upTo, Collection<String> newlySharing,
            Collection<String> leftCandidates) {
        Set<String> candidates = new LinkedHashSet<>();
        boolean self = false;
        boolean stale = after < repository.prunedUpTo(domain.database());
        if (stale) {
            // the window reaches into pruned records: everyone may have changed
            self = true;
            candidates.addAll(sharedUsers.all(domain, userId));
        } else if (upTo > after) {
            for (String user : repository.usersChanged(domain.database(), after, upTo)) {
                if (user.equals(userId)) {
                    self = true;
                } else {
                    candidates.add(user);
                }
            }
        }
        candidates.addAll(newlySharing);
        candidates.addAll(leftCandidates);
        Set<String> sharing = sharedUsers.among(domain, userId, candidates);
        Set<String> changed = new LinkedHashSet<>();
        if (self) {
            changed.add(userId);
        }
        for (String user : candidates) {
            if (sharing.contains(user)) {
                changed.add(user);
            }
        }
        List<String> left = new ArrayList<>();
        for (String user : new LinkedHashSet<>(leftCandidates)) {
            if (!sharing.contains(user) && !user.equals(userId)) {
                left.add(user);
            }
        }
        // a leave in the window with no key change and no new sharing is not a change
        changed.removeIf(u -> !u.equals(userId) && leftCandidates.contains(u) && !newlySharing.contains(u)
                && !stale && !changedInWindow(domain, u, after, upTo));
        return new Delta(new ArrayList<>(changed), left);
    }

    private boolean changedInWindow(Domain domain, String user, long after, long upTo) {
        return upTo > after && repository.changedInWindow(domain.database(), user, after, upTo);
    }
}

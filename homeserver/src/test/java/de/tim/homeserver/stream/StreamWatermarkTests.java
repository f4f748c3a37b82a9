package de.tim.homeserver.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.tim.homeserver.domain.Domain;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamWatermark} and {@link StreamChangeLog} against the in-process wire server, without Spring: gaps hold
 * readers back, a gap older than the grace time is given up (and a late writer re-stamps its change), concurrent
 * writers never let a reader pass an unwritten position, pruning moves the floor, and a stream written before the
 * log existed starts at its counter.
 */
class StreamWatermarkTests {

    private static final String STREAM = StreamPositions.ACCOUNT_DATA;
    private static final StreamProperties PROPERTIES = new StreamProperties(Duration.ofSeconds(2), Duration.ofMinutes(10),
            null, null);

    private final MutableClock clock = new MutableClock();
    private MongoClient client;
    private MongoDatabase database;
    private Domain domain;
    private StreamPositionRepository positionRepository;
    private StreamPositions positions;
    private StreamChangeLogRepository repository;
    private StreamChangeLog changeLog;

    @BeforeEach
    void setUp() {
        client = MongoClients.create(MongoWireServers.shared().connectionString());
        String name = MongoWireServers.uniqueDatabaseName("watermark");
        database = client.getDatabase(name);
        domain = new Domain("w.test", List.of(), name, null, null, null, null, null, null, database);
        positionRepository = new StreamPositionRepository();
        positions = new StreamPositions(positionRepository);
        repository = new StreamChangeLogRepository(positionRepository);
        repository.initialize(database);
        changeLog = new StreamChangeLog(repository, positionRepository, clock);
    }

    @AfterEach
    void tearDown() {
        database.drop();
        client.close();
    }

    private StreamWatermark watermark() {
        return new StreamWatermark(repository, positions, PROPERTIES, clock);
    }

    private long write(long pos) {
        return changeLog.written(database, STREAM, pos, (from, to) -> {
            throw new AssertionError("no re-stamp expected");
        });
    }

    @Test
    void readsUpToTheFirstPositionWithoutEntry() {
        StreamWatermark watermark = watermark();
        assertThat(watermark.upTo(domain, STREAM)).isZero();
        long first = positions.next(domain, STREAM);
        long second = positions.next(domain, STREAM);
        long third = positions.next(domain, STREAM);
        write(first);
        write(third);
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(first);
        assertThat(watermark.lagging(domain, STREAM, third)).isTrue();
        write(second);
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(third);
        assertThat(watermark.lagging(domain, STREAM, third)).isFalse();
        // recording a position again is harmless
        assertThat(write(second)).isEqualTo(second);
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(third);
    }

    @Test
    void aGapOlderThanTheGraceTimeIsGivenUpAndItsLateWriterMovesToANewPosition() {
        StreamWatermark watermark = watermark();
        long abandoned = positions.next(domain, STREAM);
        long after = positions.next(domain, STREAM);
        write(after);
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(abandoned - 1);
        clock.advance(Duration.ofMillis(1_999));
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(abandoned - 1);
        clock.advance(Duration.ofMillis(2));
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(after);
        assertThat(repository.skipped(database, STREAM, abandoned)).isTrue();

        // another instance sees the skipped entry as an entry: no grace time of its own
        assertThat(watermark().upTo(domain, STREAM)).isEqualTo(after);

        // the writer was only late: its change moves to a new position, which readers reach
        List<long[]> moves = new ArrayList<>();
        long moved = changeLog.written(database, STREAM, abandoned, (from, to) -> moves.add(new long[] {from, to}));
        assertThat(moved).isGreaterThan(after);
        assertThat(moves).singleElement().satisfies(m -> assertThat(m).containsExactly(abandoned, moved));
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(moved);
    }

    @Test
    void concurrentWritersNeverLetAReaderPassAnUnwrittenPosition() throws Exception {
        StreamWatermark watermark = watermark();
        Set<Long> written = ConcurrentHashMap.newKeySet();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong highestSeen = new AtomicLong();
        int writers = 6;
        int perWriter = 30;
        try (var pool = Executors.newFixedThreadPool(writers + 2)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                writes.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        long pos = positions.next(domain, STREAM);
                        if (ThreadLocalRandom.current().nextInt(4) == 0) {
                            Thread.yield();
                        }
                        written.add(pos); // the document write, before the entry
                        write(pos);
                    }
                }));
            }
            List<Future<?>> reads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reads.add(pool.submit(() -> {
                    long last = 0;
                    while (!done.get()) {
                        long upTo = watermark.upTo(domain, STREAM);
                        if (upTo < last) {
                            violations.add("went back from " + last + " to " + upTo);
                        }
                        for (long p = last + 1; p <= upTo; p++) {
                            if (!written.contains(p)) {
                                violations.add("readable up to " + upTo + " before " + p + " was written");
                            }
                        }
                        last = upTo;
                        highestSeen.accumulateAndGet(upTo, Math::max);
                    }
                }));
            }
            for (Future<?> f : writes) {
                f.get();
            }
            done.set(true);
            for (Future<?> f : reads) {
                f.get();
            }
        }
        assertThat(violations).isEmpty();
        assertThat(watermark.upTo(domain, STREAM)).isEqualTo(writers * perWriter);
    }

    @Test
    void pruningRaisesTheFloorAndALaggingInstanceJumpsToIt() {
        StreamWatermark watermark = watermark();
        StreamWatermark lagging = watermark();
        for (int i = 0; i < 5; i++) {
            write(positions.next(domain, STREAM));
        }
        assertThat(lagging.upTo(domain, STREAM)).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            write(positions.next(domain, STREAM));
        }
        clock.advance(Duration.ofMinutes(11));
        long late = positions.next(domain, STREAM);
        write(late);
        StreamChangeLogPruning pruning = new StreamChangeLogPruning(null, repository, watermark, PROPERTIES);
        assertThat(pruning.prune(domain, STREAM, clock.millis())).isEqualTo(10);
        assertThat(repository.floor(database, STREAM)).isEqualTo(10);
        assertThat(repository.positions(database, STREAM, 0, late)).containsExactly(late);
        // the lagging instance had read up to 5; positions 6..10 are gone, the floor tells it they were complete
        assertThat(lagging.upTo(domain, STREAM)).isEqualTo(late);
        assertThat(watermark().upTo(domain, STREAM)).isEqualTo(late);
        // nothing old enough any more
        assertThat(pruning.prune(domain, STREAM, clock.millis())).isZero();
    }

    @Test
    void aStreamWrittenBeforeTheLogExistedStartsAtItsCounter() {
        MongoDatabase legacy = client.getDatabase(MongoWireServers.uniqueDatabaseName("legacy"));
        try {
            positionRepository.next(legacy, StreamPositions.PRESENCE, 7);
            repository.initialize(legacy);
            Domain old = new Domain("l.test", List.of(), legacy.getName(), null, null, null, null, null, null, legacy);
            assertThat(watermark().upTo(old, StreamPositions.PRESENCE)).isEqualTo(7);
            assertThat(watermark().upTo(old, StreamPositions.TYPING)).isZero();
            // initializing again (restart) keeps the floor
            changeLog.written(legacy, StreamPositions.PRESENCE, positionRepository.next(legacy, StreamPositions.PRESENCE, 1),
                    (from, to) -> { });
            repository.initialize(legacy);
            assertThat(repository.floor(legacy, StreamPositions.PRESENCE)).isEqualTo(7);
            assertThat(watermark().upTo(old, StreamPositions.PRESENCE)).isEqualTo(8);
        } finally {
            legacy.drop();
        }
    }

    /** A clock the tests move. */
    private static final class MutableClock extends Clock {

        private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);

        void advance(Duration d) {
            millis.addAndGet(d.toMillis());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

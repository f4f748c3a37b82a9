package de.tim.push.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.tim.kafka.topics.RoomEventRecord;
import de.tim.push.retention.RetentionAuditRepository.AuditEntry;
import de.tim.testsupport.MongoWireServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention (A_22811) with a controllable clock, the Mongo wire server and a recording admin API. */
class RetentionPurgeServiceTests {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final String A = "praxis-a.tim.local";
    private static final String B = "klinik-b.tim.local";
    private static final String C = "apotheke-c.tim.local";

    private final MutableClock clock = new MutableClock(NOW);
    private RecordingAdminServer admin;
    private MongoClient mongo;
    private MongoDatabase db;
    private RoomActivityService activity;
    private RoomActivityRepository rooms;
    private RetentionAuditRepository audit;
    private RetentionPolicyService policies;

    @BeforeEach
    void setUp() {
        admin = new RecordingAdminServer();
        mongo = MongoClients.create(MongoWireServers.shared().connectionString());
        db = mongo.getDatabase(MongoWireServers.uniqueDatabaseName("retention"));
        rooms = new RoomActivityRepository(db);
        audit = new RetentionAuditRepository(db);
        activity = new RoomActivityService(rooms, clock);
    }

    @AfterEach
    void tearDown() {
        admin.close();
        mongo.close();
    }

    private RetentionPurgeService service(boolean dryRun) {
        var properties = new RetentionProperties(true, null, null, dryRun, null, null, null, Duration.ofSeconds(5), null, Map.of(
                A, new RetentionProperties.Domain(admin.baseUrl(), "admin-token-a", null, null),
                B, new RetentionProperties.Domain(admin.baseUrl(), "admin-token-b", Period.ofDays(30), null),
                C, new RetentionProperties.Domain(admin.baseUrl(), "admin-token-c", null, false)));
        policies = new RetentionPolicyService(properties, new RetentionPolicyRepository(db), clock);
        return new RetentionPurgeService(properties, policies, rooms, audit,
                new HomeserverAdminClient(HttpClient.newHttpClient(), new ObjectMapper(), Duration.ofSeconds(5)), clock,
                new SimpleMeterRegistry());
    }

    private void event(String domain, String roomId, Instant at) {
        activity.recordActivity(new RoomEventRecord(domain, roomId, "$" + roomId + at.toEpochMilli(), "m.room.message", null,
                "@u:" + domain, at.toEpochMilli(), 1, false, null));
    }

    private static Instant ago(Period period) {
        return NOW.atOffset(java.time.ZoneOffset.UTC).minus(period).toInstant();
    }

    @Test
    void roomsInactiveLongerThanSixMonthsArePurgedRecentOnesUntouched() {
        RetentionPurgeService service = service(false);
        event(A, "!old:" + A, ago(Period.ofMonths(7)));
        event(A, "!old:" + A, ago(Period.ofMonths(6).plusDays(1)));
        event(A, "!recent:" + A, ago(Period.ofMonths(7)));
        event(A, "!recent:" + A, ago(Period.ofMonths(5)));

        assertThat(service.purgeInactiveRooms().deleted()).isEqualTo(1);

        assertThat(admin.calls()).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("DELETE");
            assertThat(call.roomId()).isEqualTo("!old:" + A);
            assertThat(call.authorization()).isEqualTo("Bearer admin-token-a");
            assertThat(call.body()).isEqualTo("{\"purge\":true}");
        });
        assertThat(audit.forDomain(A)).singleElement().satisfies(entry -> {
            assertThat(entry.roomId()).isEqualTo("!old:" + A);
            assertThat(entry.outcome()).isEqualTo("deleted");
            assertThat(entry.deleteId()).isNotBlank();
            assertThat(entry.decidedAt()).isEqualTo(NOW);
            assertThat(entry.lastActivity()).isEqualTo(ago(Period.ofMonths(6).plusDays(1)));
            assertThat(entry.period()).isEqualTo("P6M");
        });
        assertThat(rooms.isTracked(A, "!old:" + A)).isFalse();
        assertThat(rooms.isTracked(A, "!recent:" + A)).isTrue();

        // nothing left to do, until time passes
        assertThat(service.purgeInactiveRooms().deleted()).isZero();
        clock.advance(Duration.ofDays(40));
        assertThat(service.purgeInactiveRooms().deleted()).isEqualTo(1);
        assertThat(admin.calls()).extracting(RecordingAdminServer.Call::roomId).containsExactly("!old:" + A, "!recent:" + A);
    }

    @Test
    void perDomainPeriodsFromConfigurationAndOrgAdminAreHonoured() {
        RetentionPurgeService service = service(false);
        event(B, "!b40:" + B, ago(Period.ofDays(40)));
        event(B, "!b20:" + B, ago(Period.ofDays(20)));
        event(A, "!a2m:" + A, ago(Period.ofMonths(2)));

        service.purgeInactiveRooms();
        assertThat(admin.calls()).extracting(RecordingAdminServer.Call::roomId).containsExactly("!b40:" + B);
        assertThat(admin.calls().getFirst().authorization()).isEqualTo("Bearer admin-token-b");

        // the Org-Admin of A shortens the period to one month
        assertThat(policies.setPolicy(A, true, Period.ofMonths(1)).source()).isEqualTo("org-admin");
        service.purgeInactiveRooms();
        assertThat(admin.calls()).extracting(RecordingAdminServer.Call::roomId).containsExactly("!b40:" + B, "!a2m:" + A);
        assertThat(audit.forDomain(A)).extracting(AuditEntry::period).containsExactly("P1M");
    }

    @Test
    void optOutByConfigurationOrOrgAdminDeletesNothing() {
        RetentionPurgeService service = service(false);
        event(C, "!c:" + C, ago(Period.ofYears(2)));
        event(A, "!a:" + A, ago(Period.ofYears(2)));
        policies.setPolicy(A, false, Period.ofMonths(6));

        assertThat(service.purgeInactiveRooms().deleted()).isZero();
        assertThat(admin.calls()).isEmpty();
        assertThat(audit.forDomain(A)).isEmpty();
        assertThat(audit.forDomain(C)).isEmpty();

        // switching it on again (Org-Admin setting removed) resumes deletion
        policies.resetPolicy(A);
        assertThat(service.purgeInactiveRooms().deleted()).isEqualTo(1);
    }

    @Test
    void dryRunDeletesNothingButAudits() {
        RetentionPurgeService service = service(true);
        event(A, "!old:" + A, ago(Period.ofMonths(8)));

        assertThat(service.purgeInactiveRooms().dryRun()).isEqualTo(1);
        assertThat(admin.calls()).isEmpty();
        assertThat(rooms.isTracked(A, "!old:" + A)).isTrue();
        assertThat(audit.forDomain(A)).singleElement()
                .satisfies(entry -> assertThat(entry.outcome()).isEqualTo("dry-run"));
    }

    @Test
    void aFailedDeletionIsRetriedAndAnUnknownRoomCountsAsGone() {
        RetentionPurgeService service = service(false);
        event(A, "!fails:" + A, ago(Period.ofMonths(9)));
        event(A, "!unknown:" + A, ago(Period.ofMonths(8)));
        admin.answer("!fails:" + A, 500);
        admin.answer("!unknown:" + A, 404);

        var first = service.purgeInactiveRooms();
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.deleted()).isEqualTo(1);
        assertThat(rooms.isTracked(A, "!fails:" + A)).isTrue();
        assertThat(audit.forDomain(A)).extracting(AuditEntry::outcome).containsExactly("already-gone");

        admin.answer("!fails:" + A, 200);
        assertThat(service.purgeInactiveRooms().deleted()).isEqualTo(1);
        assertThat(rooms.isTracked(A, "!fails:" + A)).isFalse();
    }

    @Test
    void activityOnlyMovesForwardIgnoresOutliersAndCapsFutureTimestamps() {
        RetentionPurgeService service = service(false);
        event(A, "!r:" + A, ago(Period.ofMonths(1)));
        event(A, "!r:" + A, ago(Period.ofMonths(9))); // replayed older event
        activity.recordActivity(new RoomEventRecord(A, "!outlier:" + A, "$o", "m.room.member", "@x:" + A, "@x:" + A,
                NOW.toEpochMilli(), 0, true, null));
        event(A, "!future:" + A, NOW.plus(Duration.ofDays(3650)));

        assertThat(rooms.isTracked(A, "!outlier:" + A)).isFalse();
        assertThat(service.purgeInactiveRooms().deleted()).isZero();
        clock.advance(Duration.ofDays(200));
        service.purgeInactiveRooms();
        assertThat(admin.calls()).extracting(RecordingAdminServer.Call::roomId)
                .containsExactlyInAnyOrder("!r:" + A, "!future:" + A);
    }

    @Test
    void theOrgAdminCannotSetAnEmptyPeriod() {
        service(false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> policies.setPolicy(A, true, Period.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(policies.effectivePolicy(A).source()).isEqualTo("default");
        assertThat(policies.effectivePolicy(B).inactivityPeriod()).isEqualTo(Period.ofDays(30));
    }
}

package de.tim.routes.federationlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import de.tim.crypto.x509.EcCurve;
import de.tim.routes.RegistrationDatabase;
import de.tim.routes.vzd.VzdClient;
import de.tim.routes.vzd.VzdUnavailableException;
import de.tim.testsupport.MongoWireServers;

/** Version rules and persistence of {@link FederationListService}, with a scripted VZD and the Mongo wire server. */
class FederationListServiceTests {

    @TempDir
    Path dir;

    MongoClient mongo;
    ScriptedVzd vzd;
    TestFederationLists lists;
    FederationListRepository repository;
    FederationListService service;

    /** Answers getFederationList from a script; records the versions asked for. */
    static final class ScriptedVzd extends VzdClient {
        final Deque<Object> answers = new ArrayDeque<>();
        final Deque<Long> asked = new ArrayDeque<>();

        ScriptedVzd() {
            super(null, null, null);
        }

        @Override
        public Optional<String> federationListNewerThan(Long knownVersion) {
            asked.add(knownVersion == null ? -1L : knownVersion);
            Object answer = answers.poll();
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return Optional.ofNullable((String) answer).filter(s -> !s.isEmpty());
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        mongo = MongoClients.create(MongoWireServers.shared().connectionString());
        lists = new TestFederationLists(dir, EcCurve.BRAINPOOL_P256R1);
        vzd = new ScriptedVzd();
        newService();
    }

    private void newService() {
        repository = new FederationListRepository(mongo, new RegistrationDatabase(MongoWireServers.uniqueDatabaseName("fl")));
        FederationListProperties properties = TestFederationLists.properties(lists.rootsPem);
        service = new FederationListService(vzd, new FederationListVerifier(properties), repository, properties);
    }

    @AfterEach
    void close() {
        mongo.close();
    }

    @Test
    void storesEveryAcceptedVersionAndAsksForNewerOnes() {
        vzd.answers.add(lists.sign(3));
        vzd.answers.add(lists.sign(5));
        assertThat(service.refresh()).isEqualTo(FederationListService.Outcome.UPDATED);
        assertThat(service.refresh()).isEqualTo(FederationListService.Outcome.UPDATED);
        assertThat(vzd.asked).containsExactly(-1L, 3L);
        assertThat(service.stored()).get().extracting(FederationList::version).isEqualTo(5L);
        assertThat(service.history(10)).extracting(FederationList::version).containsExactly(5L, 3L);
    }

    @Test
    void nothingNewKeepsTheStoredList() {
        vzd.answers.add(lists.sign(3));
        service.refresh();
        vzd.answers.add("");
        assertThat(service.refresh()).isEqualTo(FederationListService.Outcome.UNCHANGED);
        assertThat(service.stored()).get().extracting(FederationList::version).isEqualTo(3L);
    }

    @Test
    void versionsOnlyIncrease() {
        vzd.answers.add(lists.sign(5));
        service.refresh();
        vzd.answers.add(lists.sign(4));
        assertThat(service.refresh()).isEqualTo(FederationListService.Outcome.REJECTED);
        vzd.answers.add(lists.sign(5));
        assertThat(service.refresh()).isEqualTo(FederationListService.Outcome.REJECTED);
        assertThat(service.history(10)).extracting(FederationList::version).containsExactly(5L);
    }

    @Test
    void anInvalidSignatureIsNotTakenIntoUse() {
        vzd.answers.add(lists.sign(2));
        service.refresh();
        String[] parts = lists.sign(9).split("\\.");
        String[] other = lists.sign(10).split("\\.");
        vzd.answers.add(parts[0] + "." + other[1] + "." + parts[2]);
        assertThat(service.refresh()).isEqualTo(FederationListService.Outcome.REJECTED);
        assertThat(service.stored()).get().extracting(FederationList::version).isEqualTo(2L);
    }

    @Test
    void survivesARestartFromMongo() {
        vzd.answers.add(lists.sign(6));
        service.refresh();
        FederationListProperties properties = TestFederationLists.properties(lists.rootsPem);
        FederationListService restarted = new FederationListService(vzd, new FederationListVerifier(properties), repository, properties);
        assertThat(restarted.stored()).get().extracting(FederationList::version).isEqualTo(6L);
        vzd.answers.add("");
        restarted.refresh();
        assertThat(vzd.asked).endsWith(6L);
    }

    @Test
    void aFailingVzdIsReportedByRefreshAndToleratedByEnsureFresh() {
        vzd.answers.add(lists.sign(1));
        service.refresh();
        vzd.answers.add(new VzdUnavailableException("VZD getFederationList failed: answered 503", 503));
        assertThatThrownBy(service::refresh).isInstanceOf(VzdUnavailableException.class);
        vzd.answers.add(new VzdUnavailableException("VZD getFederationList failed: answered 503", 503));
        FederationListProperties noRateLimit = new FederationListProperties(java.util.List.of(lists.rootsPem),
                java.util.Set.of("BP256R1"), null, java.time.Duration.ofMinutes(30), java.time.Duration.ZERO, java.time.Duration.ofSeconds(60));
        FederationListService eager = new FederationListService(vzd, new FederationListVerifier(noRateLimit), repository, noRateLimit);
        eager.ensureFresh();
        assertThat(eager.stored()).get().extracting(FederationList::version).isEqualTo(1L);
    }
}

package de.tim.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.embedded.kafka.EmbeddedKafkaBroker;
import de.tim.embedded.mongo.EmbeddedMongoServer;
import de.tim.embedded.net.FreePorts;
import de.tim.homeserver.HomeserverApplication;
import de.tim.stack.StackSettings.DomainSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * One Messenger-Service of the stack served by this process while the rest of the stack ({@link LocalStack},
 * started with the domain in {@code TIM_STACK_SERVED_ELSEWHERE}) runs in another: its own homeserver (only this
 * tenant) and gateway on the domain's ports, its own in-memory MongoDB and Kafka broker, so the two processes
 * share nothing but the data dir (the development CA that signs this gateway's certificate, the token for the
 * registration service's federation list and stage-3 checks, the demo password) and talk over federation
 * through both gateways. The demo accounts of the domain are created here.
 */
public final class PeerDomain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerDomain.class);

    private final StackSettings settings;
    private final DomainSettings domain;
    private final StartedParts started = new StartedParts();
    private List<String> demoUsers = List.of();

    private PeerDomain(StackSettings settings, DomainSettings domain) {
        this.settings = settings;
        this.domain = domain;
    }

    /** Starts the domain's homeserver and gateway; on failure stops what was started and rethrows. */
    public static PeerDomain start(StackSettings settings, String serverName) {
        PeerDomain peer = new PeerDomain(settings, settings.domain(serverName));
        try {
            peer.startAll();
            return peer;
        } catch (RuntimeException | Error e) {
            peer.close();
            throw e;
        }
    }

    private void startAll() {
        DevTls tls = DevTls.openOrCreate(settings.dataDir());
        EmbeddedMongoServer mongo = EmbeddedMongoServer.inMemory();
        started.add("MongoDB", mongo);
        Path kafkaDir;
        try {
            kafkaDir = Files.createTempDirectory("tim-peer-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka log directory", e);
        }
        // the broker's log directory is this process's own: removed after the broker stopped
        started.add("Kafka log directory", () -> FileSystemUtils.deleteRecursively(kafkaDir));
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(kafkaDir).build().start();
        started.add("Kafka", kafka);
        String proxySecret = randomSecret();
        String registrationSecret = randomSecret();
        int homeserverPort = FreePorts.allocate(1).getFirst();

        Map<String, Object> homeserver = new LinkedHashMap<>();
        homeserver.put("tim.homeserver.proxy-secret", proxySecret);
        homeserver.put("tim.homeserver.http.trust-forwarded-for", true);
        homeserver.put("tim.homeserver.registration.shared-secret", registrationSecret);
        StackApps.homeserverDomain(homeserver, 0, domain);
        start(new ChildApplication("homeserver-" + domain.shortName(), HomeserverApplication.class).port(homeserverPort)
                .args(homeserver), mongo, kafka);

        demoUsers = new DemoAccounts("http://127.0.0.1:" + homeserverPort, proxySecret, registrationSecret)
                .ensure(List.of(domain.serverName()), LocalStack.secret(settings.dataDir(), "demo-password"));

        Path tiRoots = settings.dataDir().resolve("simulators/pki/ti-roots.pem");
        start(StackApps.gateway(settings, domain, tls.serverKeyStore(domain.serverName()), tls.caPem(), homeserverPort, proxySecret,
                LocalStack.secret(settings.dataDir(), "intern-verification-token"), tiRoots), mongo, kafka);
    }

    private void start(ChildApplication app, EmbeddedMongoServer mongo, EmbeddedKafkaBroker kafka) {
        long begin = System.nanoTime();
        ConfigurableApplicationContext context = StackApps.run(app, settings.bindAddress(), mongo.connectionString(),
                kafka.bootstrapServers());
        started.add(app.name(), context::close);
        log.info("{} started in {} ms", app.name(), (System.nanoTime() - begin) / 1_000_000);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public DomainSettings domain() {
        return domain;
    }

    /** The demo users of this domain (development data only). */
    public List<String> demoUsers() {
        return demoUsers;
    }

    /** Stops the gateway, the homeserver, Kafka (deleting its log directory) and MongoDB. */
    @Override
    public void close() {
        started.close();
    }
}

package de.tim.homeserver;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import de.tim.homeserver.federation.FakeEgress;
import de.tim.homeserver.federation.FakeRemoteServer;
import de.tim.homeserver.registration.RegistrationService;
import de.tim.testsupport.MongoWireServers;
import de.tim.testsupport.SharedKafkaBroker;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two homeserver instances serving one domain from one database on the shared MongoDB wire server and the shared
 * Kafka broker, each on its own random port: the set-up of the tests that check what one instance learns from the
 * other. Start it in {@code @BeforeAll} and close it in {@code @AfterAll}.
 *
 * <pre>{@code
 * pair = HomeserverPair.start("kafka", "k.test", SECRET, ctx -> ctx.getBean(RoomEventWakeListener.class).isReady(),
 *         "--tim.homeserver.rooms.sync-recheck-interval=120s");
 * User alice = pair.register("alice");
 * }</pre>
 *
 * <p>Tests whose instances differ in configuration (or that need exactly one instance) start them one by one with
 * {@link #instance}, reach them with {@link #client(ConfigurableApplicationContext, String)} and register users with
 * {@link #register(MatrixTestClient, String, String)}: the same set-up without the pair.
 */
public final class HomeserverPair implements AutoCloseable {

    private final List<ConfigurableApplicationContext> instances;
    private final String serverName;
    private String sharedSecret;
    private FakeEgress egress;

    private HomeserverPair(List<ConfigurableApplicationContext> instances, String serverName) {
        this.instances = instances;
        this.serverName = serverName;
    }

    /**
     * Two instances that federate with {@code remote} through their own {@link FakeEgress} (closed with the pair),
     * rate limits off and cheap password hashing: the set-up of the two-instance federation tests. Waits for
     * {@code ready} as {@link #start(String, String, String, Predicate, String...)}.
     */
    public static HomeserverPair federating(String databasePrefix, String serverName, String sharedSecret,
            Predicate<ConfigurableApplicationContext> ready, FakeRemoteServer remote, String... extraArgs) {
        return federating(databasePrefix, serverName, sharedSecret, ready, remote, List.of(), extraArgs);
    }

    /**
     * As {@link #federating(String, String, String, Predicate, FakeRemoteServer, String...)}, with extra configuration
     * classes (test hooks).
     */
    public static HomeserverPair federating(String databasePrefix, String serverName, String sharedSecret,
            Predicate<ConfigurableApplicationContext> ready, FakeRemoteServer remote, List<Class<?>> extraSources,
            String... extraArgs) {
        String egressSecret = databasePrefix + "-egress-secret";
        FakeEgress egress = new FakeEgress(egressSecret);
        egress.register(remote);
        List<String> args = new ArrayList<>(List.of(
                "--tim.homeserver.rate-limit.enabled=false",
                "--tim.homeserver.password.argon2-memory-kib=1024",
                "--tim.homeserver.password.argon2-iterations=1",
                "--tim.homeserver.federation.egress-proxy=" + egress.uri(),
                "--tim.homeserver.federation.egress-proxy-secret=" + egressSecret));
        args.addAll(List.of(extraArgs));
        try {
            HomeserverPair pair = start(databasePrefix, serverName, sharedSecret, ready, extraSources,
                    args.toArray(String[]::new));
            pair.egress = egress;
            return pair;
        } catch (RuntimeException | Error e) {
            egress.close();
            throw e;
        }
    }

    /** A user registered through {@link #register}: user id, access token and the id of the device logged in. */
    public record User(String id, String token, String deviceId) {
    }

    /** Registers a user whose localpart is {@code prefix} plus a random suffix through the first instance (shared secret). */
    public User register(String prefix) {
        return register(first(), prefix);
    }

    /** As {@link #register(String)}, through {@code instance} (either of the pair). */
    public User register(ConfigurableApplicationContext instance, String prefix) {
        return register(client(instance), sharedSecret, prefix);
    }

    /**
     * Registers a user whose localpart is {@code prefix} plus a random suffix through {@code via}, with the shared
     * secret the instance was started with (for instances started with {@link #instance}); fails unless it answers 200.
     */
    public static User register(MatrixTestClient via, String sharedSecret, String prefix) {
        String localpart = prefix + UUID.randomUUID().toString().substring(0, 8);
        String password = "pair password " + localpart;
        String nonce = via.get("/_synapse/admin/v1/register", null).text("nonce");
        MatrixTestClient.Response r = via.post("/_synapse/admin/v1/register", null, Map.of("nonce", nonce, "username", localpart,
                "password", password, "admin", false,
                "mac", RegistrationService.mac(sharedSecret, nonce, localpart, password, false, null)));
        if (r.status() != 200) {
            throw new AssertionError("register: " + r.raw());
        }
        return new User(r.text("user_id"), r.text("access_token"), r.text("device_id"));
    }

    /**
     * Starts both instances ({@code databasePrefix} gives a database name no other test uses) with the registration
     * shared secret and the extra {@code --property=value} arguments, and waits up to 90 s until {@code ready} holds
     * for both (e.g. their Kafka listeners have partitions assigned).
     */
    public static HomeserverPair start(String databasePrefix, String serverName, String sharedSecret,
            Predicate<ConfigurableApplicationContext> ready, String... extraArgs) {
        return start(databasePrefix, serverName, sharedSecret, ready, List.of(), extraArgs);
    }

    /** As {@link #start(String, String, String, Predicate, String...)}, with extra configuration classes (test hooks). */
    public static HomeserverPair start(String databasePrefix, String serverName, String sharedSecret,
            Predicate<ConfigurableApplicationContext> ready, List<Class<?>> extraSources, String... extraArgs) {
        String database = MongoWireServers.uniqueDatabaseName(databasePrefix);
        List<ConfigurableApplicationContext> started = new ArrayList<>();
        HomeserverPair pair = new HomeserverPair(started, serverName);
        pair.sharedSecret = sharedSecret;
        try {
            for (int i = 0; i < 2; i++) {
                started.add(instance(database, serverName, sharedSecret, extraSources, extraArgs));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> started.stream().allMatch(ready));
            return pair;
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
    }

    /**
     * Starts one instance as the pair's (random port, the shared MongoDB wire server and Kafka broker) on
     * {@code database} (from {@link MongoWireServers#uniqueDatabaseName}; instances started on the same one serve
     * the same data), with the registration shared secret, extra configuration classes and extra
     * {@code --property=value} arguments. The caller closes it.
     */
    public static ConfigurableApplicationContext instance(String database, String serverName, String sharedSecret,
            List<Class<?>> extraSources, String... extraArgs) {
        List<Class<?>> sources = new ArrayList<>(List.of(HomeserverApplication.class));
        sources.addAll(extraSources);
        return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(args(database, serverName, sharedSecret,
                extraArgs));
    }

    private static String[] args(String database, String serverName, String sharedSecret, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0", "--server.address=127.0.0.1",
                "--spring.data.mongodb.uri=" + MongoWireServers.shared().connectionString(),
                "--spring.kafka.bootstrap-servers=" + SharedKafkaBroker.bootstrapServers(),
                "--tim.kafka.topics.enabled=false",
                "--tim.homeserver.registration.shared-secret=" + sharedSecret,
                "--tim.homeserver.central-database=" + database + "_central",
                "--tim.homeserver.database-prefix=" + database + "_",
                "--tim.homeserver.domains[0].server-name=" + serverName));
        args.addAll(List.of(extraArgs));
        return args.toArray(String[]::new);
    }

    /** The domain both instances serve. */
    public String serverName() {
        return serverName;
    }

    public ConfigurableApplicationContext first() {
        return instances.get(0);
    }

    public ConfigurableApplicationContext second() {
        return instances.get(1);
    }

    /** A client of the domain talking to {@code instance} (no proxy secret: the test profile is not active). */
    public MatrixTestClient client(ConfigurableApplicationContext instance) {
        return client(instance, serverName);
    }

    /** A client of the domain {@code serverName} talking to {@code instance} (started with {@link #instance}). */
    public static MatrixTestClient client(ConfigurableApplicationContext instance, String serverName) {
        return new MatrixTestClient(((WebServerApplicationContext) instance).getWebServer().getPort(), serverName, null);
    }

    @Override
    public void close() {
        for (ConfigurableApplicationContext instance : instances) {
            instance.close();
        }
        if (egress != null) {
            egress.close();
        }
    }
}

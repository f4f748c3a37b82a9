package de.tim.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import de.tim.embedded.kafka.EmbeddedKafkaBroker;
import de.tim.embedded.mongo.EmbeddedMongoServer;
import de.tim.homeserver.HomeserverApplication;
import de.tim.portal.AdminPortalApplication;
import de.tim.push.PushApplication;
import de.tim.routes.RegistrationServiceApplication;
import de.tim.simulators.SimulatorsApplication;
import de.tim.stack.StackSettings.DomainSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole Fachdienst in one JVM: embedded Kafka and MongoDB (unless real ones are configured), the
 * simulators, the registration service, one homeserver serving both domains, a gateway per domain,
 * push and the admin portal. Each application runs in its own Spring context with its own ports,
 * exactly as it would in its own process.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    /** The app id of the demo pusher configured in the push gateway (FCM through the simulators). */
    static final String DEMO_PUSH_APP = "de.tim.demo.android";
    /** Localpart of the server admin account the retention worker uses on every domain. */
    static final String RETENTION_ADMIN = "tim-retention";
    /** Localpart of the account whose OpenID tokens the registration service exchanges for VZD search tokens. */
    static final String VZD_SEARCH_ACCOUNT = "tim-vzd-search";
    private static final List<String> CAMEL = StackApps.CAMEL;
    private static final List<String> THYMELEAF = StackApps.THYMELEAF;
    private static final List<String> GATEWAY_MVC = StackApps.GATEWAY_MVC;

    private final StackSettings settings;
    private final StartedParts started = new StartedParts();
    private DevTls tls;
    private String mongoUri;
    private String kafkaBootstrap;
    private String demoPassword;
    private List<String> demoUsers = List.of();
    private final Map<String, RetentionAdmin> retentionAdmins = new java.util.LinkedHashMap<>();
    /** The running applications by name (tests of this package read their beans, e.g. metrics). */
    private final Map<String, ConfigurableApplicationContext> applications = new java.util.concurrent.ConcurrentHashMap<>();

    /** How the retention worker reaches the admin API of one domain: the admin ingress and a server admin's token. */
    record RetentionAdmin(java.net.URI baseUrl, String token) {
        @Override
        public String toString() {
            return "RetentionAdmin[" + baseUrl + "]";
        }
    }

    private final Map<String, Object> homeserverOverrides;

    private LocalStack(StackSettings settings, Map<String, Object> homeserverOverrides) {
        this.settings = settings;
        this.homeserverOverrides = Map.copyOf(homeserverOverrides);
    }

    /** Starts everything; on failure stops what was started and rethrows. */
    public static LocalStack start(StackSettings settings) {
        return start(settings, Map.of());
    }

    /**
     * Starts everything with further homeserver settings (e.g. a benchmark switching the rate limit off); on failure
     * stops what was started and rethrows.
     */
    public static LocalStack start(StackSettings settings, Map<String, Object> homeserverOverrides) {
        LocalStack stack = new LocalStack(settings, homeserverOverrides);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        createDataDir();
        tls = DevTls.openOrCreate(settings.dataDir());
        mongoUri = settings.externalMongoUri().orElseGet(this::startMongo);
        kafkaBootstrap = settings.externalKafka().orElseGet(this::startKafka);
        String proxySecret = secret("proxy-secret");
        String internVerificationToken = secret("intern-verification-token");
        String registrationSecret = secret("registration-shared-secret");
        String provisioningSecret = secret("provisioning-secret");
        Path pki = settings.dataDir().resolve("simulators/pki");
        Path tiRoots = pki.resolve("ti-roots.pem");

        ChildApplication simulators = new ChildApplication("ti-simulators", SimulatorsApplication.class)
                .port(settings.simulatorsPort())
                .arg("tim.simulators.vzd.homeserver-ca-pem", tls.caPem())
                .arg("tim.simulators.push.fcm-require-issued-token", true);
        for (DomainSettings domain : settings.domains()) {
            simulators.arg("tim.simulators.vzd.homeservers.[" + domain.serverName() + "]",
                    "https://localhost:" + domain.federationPort());
        }
        startApp(simulators
                .arg("tim.simulators.data-dir", settings.dataDir().resolve("simulators"))
                .arg("tim.simulators.kim.smtp-port", settings.kimSmtpPort())
                .arg("tim.simulators.kim.imap-port", settings.kimImapPort()));
        startApp(new ChildApplication("homeserver", HomeserverApplication.class)
                .port(settings.homeserverPort())
                .args(homeserverArgs(proxySecret))
                .arg("tim.homeserver.registration.shared-secret", registrationSecret)
                .arg("tim.homeserver.provisioning-secret", provisioningSecret)
                .args(homeserverOverrides));
        demoPassword = secret("demo-password");
        DemoAccounts accounts = new DemoAccounts("http://127.0.0.1:" + settings.homeserverPort(), proxySecret, registrationSecret);
        // directory searches (KIM onboarding, stage-3 visibility) run as a service account of the first domain
        DomainSettings searchDomain = settings.hostedDomains().getFirst();
        String searchToken = accounts.accountToken(searchDomain.serverName(), VZD_SEARCH_ACCOUNT,
                secret("vzd-search-password"), false, "TIM_VZD_SEARCH");
        startApp(new ChildApplication("integration-routes", RegistrationServiceApplication.class)
                .port(settings.registrationPort())
                .arg("tim.routes.mongodb.database", "tim_registration")
                .arg("tim.routes.integration.directory", settings.dataDir().resolve("integration-routes.d"))
                .arg("tim.routes.vzd.base-url", "http://127.0.0.1:" + settings.simulatorsPort())
                .arg("tim.routes.federation-list.trust-anchors", tiRoots)
                .arg("tim.routes.orgcheck.idp-trust-anchors", tiRoots)
                .arg("tim.routes.token.signer-key-store", pki.resolve("regservice-signer-bp256.p12"))
                .arg("tim.routes.token.issuer", "http://localhost:" + settings.registrationPort())
                .arg("tim.routes.intern-verification.tokens[0]", internVerificationToken)
                .arg("tim.routes.provisioning.homeserver-domains-uri",
                        "http://127.0.0.1:" + settings.homeserverPort() + "/_tim/admin/v1/domains")
                .arg("tim.routes.provisioning.homeserver-secret", provisioningSecret)
                .arg("tim.routes.provisioning.homeserver-proxy-secret", proxySecret)
                .arg("tim.routes.org-active.smtp-uri", "smtp://127.0.0.1:" + settings.kimSmtpPort())
                .arg("tim.routes.admin.totp-encryption.keys[0]", "stack-1:" + Base64.getEncoder()
                        .encodeToString(Base64.getUrlDecoder().decode(secret("totp-encryption-key"))))
                .arg("tim.routes.vzd-search.user-id", "@" + VZD_SEARCH_ACCOUNT + ":" + searchDomain.serverName())
                .arg("tim.routes.vzd-search.access-token", searchToken)
                .arg("tim.routes.vzd-search.homeserver-uri", "http://127.0.0.1:" + settings.homeserverPort())
                .arg("tim.routes.vzd-search.homeserver-proxy-secret", proxySecret)
                .excludeAutoConfiguration(concat(THYMELEAF, GATEWAY_MVC)));
        demoUsers = accounts.ensure(settings.hostedDomains().stream().map(DomainSettings::serverName).toList(), demoPassword);
        // the retention worker deletes rooms as a dedicated server admin of each domain, through a loopback admin ingress
        String retentionPassword = secret("retention-admin-password");
        for (DomainSettings domain : settings.hostedDomains()) {
            AdminIngress ingress = AdminIngress.start(settings.bindAddress(), "http://127.0.0.1:" + settings.homeserverPort(),
                    domain.serverName(), proxySecret);
            started.add("admin ingress of " + domain.serverName(), ingress);
            retentionAdmins.put(domain.serverName(), new RetentionAdmin(ingress.baseUrl(),
                    accounts.adminToken(domain.serverName(), RETENTION_ADMIN, retentionPassword)));
        }
        for (DomainSettings domain : settings.hostedDomains()) {
            startApp(StackApps.gateway(settings, domain, tls.serverKeyStore(domain.serverName()), tls.caPem(),
                    settings.homeserverPort(), proxySecret, internVerificationToken, tiRoots));
        }
        String simulatorsUrl = "http://127.0.0.1:" + settings.simulatorsPort();
        ChildApplication push = new ChildApplication("push", PushApplication.class);
        retentionAdmins.forEach((serverName, admin) -> push
                .arg("tim.push.retention.domains.[" + serverName + "].admin-base-url", admin.baseUrl())
                .arg("tim.push.retention.domains.[" + serverName + "].admin-token", admin.token()));
        startApp(push.port(settings.pushPort())
                .arg("tim.push.mongo.database", "tim_push")
                // a demo app whose pushes go to the simulated FCM with the simulated service account
                .arg("tim.push.gateway.apps.[" + DEMO_PUSH_APP + "].type", "fcm")
                .arg("tim.push.gateway.apps.[" + DEMO_PUSH_APP + "].fcm.project-id", "tim-local")
                .arg("tim.push.gateway.apps.[" + DEMO_PUSH_APP + "].fcm.base-url", simulatorsUrl)
                .arg("tim.push.gateway.apps.[" + DEMO_PUSH_APP + "].fcm.token-uri", simulatorsUrl + "/push/oauth2/token")
                .arg("tim.push.gateway.apps.[" + DEMO_PUSH_APP + "].fcm.service-account-file",
                        settings.dataDir().resolve("simulators/push/fcm-service-account.json")));
        startApp(new ChildApplication("admin-portal", AdminPortalApplication.class).port(settings.portalPort())
                .excludeAutoConfiguration(concat(CAMEL, GATEWAY_MVC)));
    }

    private Map<String, Object> homeserverArgs(String proxySecret) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("tim.homeserver.proxy-secret", proxySecret);
        // only the gateways can reach the homeserver, so their X-Forwarded-For is the client's address
        args.put("tim.homeserver.http.trust-forwarded-for", true);
        List<DomainSettings> domains = settings.hostedDomains();
        for (int i = 0; i < domains.size(); i++) {
            StackApps.homeserverDomain(args, i, domains.get(i));
        }
        return args;
    }

    private void startApp(ChildApplication app) {
        long begin = System.nanoTime();
        ConfigurableApplicationContext context = StackApps.run(app, settings.bindAddress(), mongoUri, kafkaBootstrap);
        started.add(app.name(), context::close);
        applications.put(app.name(), context);
        log.info("{} started in {} ms", app.name(), (System.nanoTime() - begin) / 1_000_000);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return StackApps.concat(lists);
    }

    private String startMongo() {
        EmbeddedMongoServer mongo = EmbeddedMongoServer.persistent(settings.dataDir().resolve("mongo/data.mv"), settings.mongoPort());
        started.add("MongoDB", mongo);
        return mongo.connectionString();
    }

    private String startKafka() {
        EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(settings.dataDir().resolve("kafka"))
                .brokerPort(settings.kafkaPort())
                .controllerPort(settings.kafkaControllerPort())
                .build()
                .start();
        started.add("Kafka", kafka);
        return kafka.bootstrapServers();
    }

    /** A random secret created on first start and kept in the data dir, readable by the owner only. */
    private String secret(String name) {
        return secret(settings.dataDir(), name);
    }

    /** A secret of the data dir (created on first use), also read by a {@link PeerDomain} of the same data dir. */
    static String secret(Path dataDir, String name) {
        Path file = dataDir.resolve("secrets").resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(file.getParent());
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.writeString(file, secret);
            restrictToOwner(file);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep secret " + file, e);
        }
    }

    private void createDataDir() {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + settings.dataDir(), e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the data dir's own permissions apply
        }
    }

    public StackSettings settings() {
        return settings;
    }

    public Path caPem() {
        return tls.caPem();
    }

    public java.security.cert.X509Certificate caCertificate() {
        return tls.caCertificate();
    }

    /** The demo users and their common password (development data only). */
    public List<String> demoUsers() {
        return demoUsers;
    }

    public String demoPassword() {
        return demoPassword;
    }

    /** Per server name: the admin ingress and token the retention worker was given. */
    Map<String, RetentionAdmin> retentionAdmins() {
        return Map.copyOf(retentionAdmins);
    }

    /** The running application of that name ({@code homeserver}, {@code gateway-<domain>}, …); for tests of this package. */
    ConfigurableApplicationContext application(String name) {
        ConfigurableApplicationContext context = applications.get(name);
        if (context == null) {
            throw new IllegalArgumentException("no application " + name + " runs in this stack");
        }
        return context;
    }

    public String mongoUri() {
        return mongoUri;
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrap;
    }

    /** Stops the applications in reverse start order, then Kafka and MongoDB. */
    @Override
    public void close() {
        started.close();
        applications.clear();
    }
}

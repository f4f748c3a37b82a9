package de.tim.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import de.tim.embedded.net.FreePorts;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in KRaft combined mode (broker and controller in one node), started in this JVM.
 *
 * <p>Used by the local stack and by tests only, when no bootstrap servers are configured. The log
 * directory is formatted on first use and reused afterwards, so a stack restart keeps its topics and
 * records; tests pass a temporary directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Builder builder) {
        this.logDir = builder.logDir;
        List<Integer> free = FreePorts.allocate(2);
        this.brokerPort = builder.brokerPort == 0 ? free.get(0) : builder.brokerPort;
        this.controllerPort = builder.controllerPort == 0 ? free.get(1) : builder.controllerPort;
        this.overrides = Map.copyOf(builder.overrides);
    }

    public static Builder builder(Path logDir) {
        return new Builder(logDir);
    }

    /** Formats the log directory if it is new, starts the node and waits until the broker answers. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(logDir);
            KafkaConfig config = new KafkaConfig(brokerProperties(), false);
            formatIfNew(config);
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            awaitReady();
            log.info("Embedded Kafka (KRaft) listening on {} with data in {}", bootstrapServers(), logDir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka log directory " + logDir, e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + brokerPort;
    }

    public Path logDir() {
        return logDir;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            log.info("Embedded Kafka stopped");
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", "1");
        p.put("unclean.leader.election.enable", "true");
        p.putAll(overrides);
        return p;
    }

    private void formatIfNew(KafkaConfig config) throws IOException {
        Path meta = logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME);
        if (Files.exists(meta)) {
            return;
        }
        try {
            new Formatter()
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log directory " + logDir, e);
        }
    }

    private void awaitReady() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka did not become ready", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        }
    }

    public static final class Builder {
        private final Path logDir;
        private int brokerPort;
        private int controllerPort;
        private final Map<String, String> overrides = new HashMap<>();

        private Builder(Path logDir) {
            this.logDir = logDir;
        }

        /** Broker port for clients; 0 picks a free one. */
        public Builder brokerPort(int port) {
            this.brokerPort = port;
            return this;
        }

        /** KRaft controller port; 0 picks a free one. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }
    }
}

package de.tim.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the local stack can be told, read from environment variables (see README "Ports" and
 * "Configuration"). Ports are concrete: the homeserver must know its gateways' public addresses
 * before anything starts.
 *
 * @param dataDir              where Kafka, MongoDB, TLS material and simulator data live across restarts
 * @param bindAddress          address every listener binds to
 * @param externalMongoUri     a real MongoDB to use instead of the embedded wire server
 * @param externalKafka        real Kafka bootstrap servers to use instead of the embedded broker
 * @param mongoPort            port of the embedded MongoDB wire server
 * @param kafkaPort            client port of the embedded Kafka broker
 * @param kafkaControllerPort  KRaft controller port of the embedded Kafka broker
 * @param homeserverPort       internal port of the homeserver (reached only through the gateways)
 * @param simulatorsPort       port of the TI simulators
 * @param kimSmtpPort          SMTP port of the simulated KIM mailboxes
 * @param kimImapPort          IMAP port of the simulated KIM mailboxes
 * @param registrationPort     port of the registration service (integration-routes)
 * @param pushPort             port of the push gateway
 * @param portalPort           port of the Org-Admin portal
 * @param domains              the Messenger-Services, each with its gateway's ports
 */
public record StackSettings(
        Path dataDir,
        String bindAddress,
        Optional<String> externalMongoUri,
        Optional<String> externalKafka,
        int mongoPort,
        int kafkaPort,
        int kafkaControllerPort,
        int homeserverPort,
        int simulatorsPort,
        int kimSmtpPort,
        int kimImapPort,
        int registrationPort,
        int pushPort,
        int portalPort,
        List<DomainSettings> domains) {

    /**
     * One Messenger-Service of the stack.
     *
     * @param serverName     the Matrix server name
     * @param clientPort     gateway port for Client-Server traffic (TLS)
     * @param federationPort gateway port for Server-Server traffic (TLS)
     * @param egressPort     internal gateway port for the homeserver's outbound federation (plain HTTP, loopback)
     */
    public record DomainSettings(String serverName, int clientPort, int federationPort, int egressPort) {

        /** Short name used in file names and application names, e.g. {@code praxis-a}. */
        public String shortName() {
            int dot = serverName.indexOf('.');
            return dot > 0 ? serverName.substring(0, dot) : serverName;
        }
    }

    /** Reads the settings from environment variables, falling back to the documented defaults. */
    public static StackSettings fromEnvironment(Map<String, String> env) {
        return new StackSettings(
                Path.of(env.getOrDefault("TIM_STACK_DATA_DIR", ".tim-local")).toAbsolutePath(),
                env.getOrDefault("TIM_STACK_BIND_ADDRESS", "127.0.0.1"),
                Optional.ofNullable(blankToNull(env.get("TIM_MONGODB_URI"))),
                Optional.ofNullable(blankToNull(env.get("TIM_KAFKA_BOOTSTRAP_SERVERS"))),
                port(env, "TIM_STACK_MONGO_PORT", 27217),
                port(env, "TIM_STACK_KAFKA_PORT", 19092),
                port(env, "TIM_STACK_KAFKA_CONTROLLER_PORT", 19093),
                port(env, "TIM_STACK_HOMESERVER_PORT", 8008),
                port(env, "TIM_STACK_SIMULATORS_PORT", 8090),
                port(env, "TIM_STACK_KIM_SMTP_PORT", 3025),
                port(env, "TIM_STACK_KIM_IMAP_PORT", 3143),
                port(env, "TIM_STACK_REGISTRATION_PORT", 8091),
                port(env, "TIM_STACK_PUSH_PORT", 8092),
                port(env, "TIM_STACK_PORTAL_PORT", 8080),
                List.of(
                        new DomainSettings(env.getOrDefault("TIM_STACK_DOMAIN_A", "praxis-a.tim.local"),
                                port(env, "TIM_STACK_DOMAIN_A_CLIENT_PORT", 8443),
                                port(env, "TIM_STACK_DOMAIN_A_FEDERATION_PORT", 8448),
                                port(env, "TIM_STACK_DOMAIN_A_EGRESS_PORT", 8449)),
                        new DomainSettings(env.getOrDefault("TIM_STACK_DOMAIN_B", "klinik-b.tim.local"),
                                port(env, "TIM_STACK_DOMAIN_B_CLIENT_PORT", 9443),
                                port(env, "TIM_STACK_DOMAIN_B_FEDERATION_PORT", 9448),
                                port(env, "TIM_STACK_DOMAIN_B_EGRESS_PORT", 9449))));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number between 1 and 65535, not '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}

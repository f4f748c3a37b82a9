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
 * @param servedElsewhere      server names of {@code domains} whose homeserver and gateway run in another process
 *                             ({@link PeerDomainLauncher}): on the federation list and in the gateways' address map,
 *                             but no tenant, gateway or demo accounts here
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
        List<DomainSettings> domains,
        java.util.Set<String> servedElsewhere) {

    /** All domains served by this process. */
    public StackSettings(Path dataDir, String bindAddress, Optional<String> externalMongoUri, Optional<String> externalKafka,
            int mongoPort, int kafkaPort, int kafkaControllerPort, int homeserverPort, int simulatorsPort, int kimSmtpPort,
            int kimImapPort, int registrationPort, int pushPort, int portalPort, List<DomainSettings> domains) {
        this(dataDir, bindAddress, externalMongoUri, externalKafka, mongoPort, kafkaPort, kafkaControllerPort, homeserverPort,
                simulatorsPort, kimSmtpPort, kimImapPort, registrationPort, pushPort, portalPort, domains, java.util.Set.of());
    }

    public StackSettings {
        servedElsewhere = java.util.Set.copyOf(servedElsewhere);
        for (String name : servedElsewhere) {
            if (domains.stream().noneMatch(d -> d.serverName().equals(name))) {
                throw new IllegalArgumentException("TIM_STACK_SERVED_ELSEWHERE names " + name + ", which is not a domain of the stack");
            }
        }
    }

    /** The same settings with {@code names} served by another process. */
    public StackSettings servingElsewhere(java.util.Set<String> names) {
        return new StackSettings(dataDir, bindAddress, externalMongoUri, externalKafka, mongoPort, kafkaPort, kafkaControllerPort,
                homeserverPort, simulatorsPort, kimSmtpPort, kimImapPort, registrationPort, pushPort, portalPort, domains, names);
    }

    /** The domains whose homeserver tenant and gateway run in this process. */
    public List<DomainSettings> hostedDomains() {
        return domains.stream().filter(d -> !servedElsewhere.contains(d.serverName())).toList();
    }

    /** One domain by server name. */
    public DomainSettings domain(String serverName) {
        return domains.stream().filter(d -> d.serverName().equals(serverName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(serverName + " is not a domain of the stack"));
    }

    /** These settings as the environment variables {@link #fromEnvironment} reads (e.g. for a peer process). */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("TIM_STACK_DATA_DIR", dataDir.toString());
        env.put("TIM_STACK_BIND_ADDRESS", bindAddress);
        externalMongoUri.ifPresent(uri -> env.put("TIM_MONGODB_URI", uri));
        externalKafka.ifPresent(servers -> env.put("TIM_KAFKA_BOOTSTRAP_SERVERS", servers));
        env.put("TIM_STACK_MONGO_PORT", String.valueOf(mongoPort));
        env.put("TIM_STACK_KAFKA_PORT", String.valueOf(kafkaPort));
        env.put("TIM_STACK_KAFKA_CONTROLLER_PORT", String.valueOf(kafkaControllerPort));
        env.put("TIM_STACK_HOMESERVER_PORT", String.valueOf(homeserverPort));
        env.put("TIM_STACK_SIMULATORS_PORT", String.valueOf(simulatorsPort));
        env.put("TIM_STACK_KIM_SMTP_PORT", String.valueOf(kimSmtpPort));
        env.put("TIM_STACK_KIM_IMAP_PORT", String.valueOf(kimImapPort));
        env.put("TIM_STACK_REGISTRATION_PORT", String.valueOf(registrationPort));
        env.put("TIM_STACK_PUSH_PORT", String.valueOf(pushPort));
        env.put("TIM_STACK_PORTAL_PORT", String.valueOf(portalPort));
        String[] letters = {"A", "B"};
        for (int i = 0; i < Math.min(domains.size(), letters.length); i++) {
            DomainSettings d = domains.get(i);
            String prefix = "TIM_STACK_DOMAIN_" + letters[i];
            env.put(prefix, d.serverName());
            env.put(prefix + "_CLIENT_PORT", String.valueOf(d.clientPort()));
            env.put(prefix + "_FEDERATION_PORT", String.valueOf(d.federationPort()));
            env.put(prefix + "_EGRESS_PORT", String.valueOf(d.egressPort()));
        }
        env.put("TIM_STACK_SERVED_ELSEWHERE", String.join(",", servedElsewhere));
        return env;
    }

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
                                port(env, "TIM_STACK_DOMAIN_B_EGRESS_PORT", 9449))),
                names(env.get("TIM_STACK_SERVED_ELSEWHERE")));
    }

    private static java.util.Set<String> names(String value) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        if (value != null) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
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

package de.tim.stack;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import de.tim.stack.StackSettings.DomainSettings;

/** The table printed once the stack is up. */
final class StackSummary {

    private StackSummary() {
    }

    static String render(LocalStack stack, Duration startup) {
        StackSettings s = stack.settings();
        StringBuilder out = new StringBuilder();
        out.append("\n  TI-Messenger Fachdienst — local stack is up (").append(startup.toMillis()).append(" ms, heap used ")
                .append(heapUsedMb()).append(" MB)\n\n");
        row(out, "component", "address");
        row(out, "---------", "-------");
        for (DomainSettings d : s.domains()) {
            row(out, d.serverName() + " client API", "https://localhost:" + d.clientPort());
            row(out, d.serverName() + " federation", "https://localhost:" + d.federationPort());
            row(out, d.serverName() + " egress (internal)", "http://127.0.0.1:" + d.egressPort());
        }
        row(out, "homeserver (internal)", "http://127.0.0.1:" + s.homeserverPort());
        row(out, "TI simulators", "http://localhost:" + s.simulatorsPort());
        row(out, "KIM mail (SMTP / IMAP)", "localhost:" + s.kimSmtpPort() + " / localhost:" + s.kimImapPort());
        row(out, "registration service", "http://localhost:" + s.registrationPort());
        row(out, "push gateway", "http://localhost:" + s.pushPort());
        row(out, "Org-Admin portal", "http://localhost:" + s.portalPort());
        row(out, "MongoDB", stack.mongoUri());
        row(out, "Kafka", stack.kafkaBootstrapServers());
        out.append("\n  Demo accounts (password ").append(stack.demoPassword()).append(", kept in the data directory):\n");
        stack.demoUsers().forEach(user -> out.append("    ").append(user).append('\n'));
        out.append("\n  Clients trust the development CA: ").append(stack.caPem()).append('\n');
        out.append("  Data directory (kept across restarts): ").append(s.dataDir()).append('\n');
        out.append("  Try: curl --cacert ").append(stack.caPem()).append(" https://localhost:")
                .append(s.domains().getFirst().clientPort()).append("/_matrix/client/versions\n");
        out.append("  Stop with Ctrl-C.\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String left, String right) {
        out.append(String.format("  %-34s %s%n", left, right));
    }

    private static long heapUsedMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }
}

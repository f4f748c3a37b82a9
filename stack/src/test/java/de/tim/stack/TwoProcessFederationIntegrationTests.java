package de.tim.stack;

import static de.tim.stack.StackClient.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.stack.StackClient.User;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two domains federating from two processes: this JVM runs the stack with praxis-a.tim.local only
 * (klinik-b.tim.local in {@code TIM_STACK_SERVED_ELSEWHERE}), a second JVM started from the test's own classpath
 * runs {@link PeerDomainLauncher} with klinik-b.tim.local's homeserver and gateway (own MongoDB and Kafka). Invite,
 * join and messages go both ways, through both gateways over TLS, and media of the first process is downloaded in the
 * second (then from its cache).
 */
class TwoProcessFederationIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration PEER_START = Duration.ofMinutes(4);
    private static final String PRAXIS = "praxis-a.tim.local";
    private static final String KLINIK = "klinik-b.tim.local";

    @TempDir
    Path dataDir;

    @Test
    void aDomainInASecondProcessFederatesBothWays() throws Exception {
        String classpath = System.getProperty("java.class.path", "");
        Assumptions.assumeTrue(classpath.contains("stack"),
                "the test's classpath (java.class.path) does not name the stack's classes, so no second JVM can be started from it");
        StackSettings settings = LocalStackIntegrationTests.settingsOnFreePorts(dataDir).servingElsewhere(Set.of(KLINIK));
        try (LocalStack stack = LocalStack.start(settings)) {
            assertThat(stack.demoUsers()).as("this process does not serve klinik-b").noneMatch(u -> u.endsWith(":" + KLINIK));
            Process peer = startPeer(settings, classpath);
            try {
                Path log = dataDir.resolve("peer.log");
                await().atMost(PEER_START).pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (!peer.isAlive()) {
                        throw new AssertionError("the peer process ended with " + peer.exitValue() + ":\n" + tail(log));
                    }
                    return read(log).contains(PeerDomainLauncher.READY);
                });
                converse(stack, settings);
                assertThat(peer.isAlive()).isTrue();
            } catch (AssertionError | RuntimeException e) {
                System.out.println("peer process output:\n" + tail(dataDir.resolve("peer.log")));
                throw e;
            } finally {
                stop(peer);
            }
        }
    }

    private void converse(LocalStack stack, StackSettings settings) {
        StackClient client = new StackClient(stack.caCertificate());
        User anna = client.login("@anna.schmidt:" + PRAXIS, stack.demoPassword(), settings.domain(PRAXIS).clientPort());
        User ben = client.login("@ben.weber:" + KLINIK, stack.demoPassword(), settings.domain(KLINIK).clientPort());

        // A invites B (waiting for both gateways' federation list), B joins, both write
        String fromA = client.createRoom(anna, Map.of("preset", "private_chat", "name", "Konsil A"));
        inviteAndJoin(client, anna, fromA, ben);
        client.sendText(anna, fromA, "Hallo aus Prozess 1");
        await().atMost(WAIT).until(() -> bodies(client, ben, fromA).contains("Hallo aus Prozess 1"));
        client.sendText(ben, fromA, "Antwort aus Prozess 2");
        await().atMost(WAIT).until(() -> bodies(client, anna, fromA).contains("Antwort aus Prozess 2"));

        // B invites A, A joins, both write
        String fromB = client.createRoom(ben, Map.of("preset", "private_chat", "name", "Konsil B"));
        inviteAndJoin(client, ben, fromB, anna);
        client.sendText(ben, fromB, "Neuer Fall aus Prozess 2");
        await().atMost(WAIT).until(() -> bodies(client, anna, fromB).contains("Neuer Fall aus Prozess 2"));
        client.sendText(anna, fromB, "Gesehen in Prozess 1");
        await().atMost(WAIT).until(() -> bodies(client, ben, fromB).contains("Gesehen in Prozess 1"));
        assertThat(bodies(client, anna, fromB)).containsExactly("Neuer Fall aus Prozess 2", "Gesehen in Prozess 1");
        assertThat(bodies(client, ben, fromA)).containsExactly("Hallo aus Prozess 1", "Antwort aus Prozess 2");

        // media of process 1 downloaded in process 2 (its own MongoDB), the repeated download from process 2's cache
        byte[] image = FederationStackIntegrationTests.png(320, 240);
        String download = "/client/v1/media/download/" + client.upload(anna, "image/png", "skizze.png", image).substring("mxc://".length());
        StackClient.Bytes fetched = client.get(ben, download);
        assertThat(fetched.status()).as("remote download: %s", fetched.json()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(image);
        double served = FederationStackIntegrationTests.federationMediaRequests(stack, "download");
        assertThat(served).isGreaterThanOrEqualTo(1);
        assertThat(client.get(ben, download).body()).isEqualTo(image);
        assertThat(FederationStackIntegrationTests.federationMediaRequests(stack, "download")).isEqualTo(served);
    }

    private static void inviteAndJoin(StackClient client, User inviter, String roomId, User invitee) {
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> !client.call(inviter, "POST",
                "/rooms/" + enc(roomId) + "/invite", Map.of("user_id", invitee.userId())).has("errcode"));
        await().atMost(WAIT).until(() -> client.sync(invitee).path("rooms").path("invite").has(roomId));
        JsonNode joined = client.call(invitee, "POST", "/join/" + enc(roomId), Map.of());
        assertThat(joined.path("room_id").asText()).as("join: %s", joined).isEqualTo(roomId);
        await().atMost(WAIT).until(() -> "join".equals(client.membership(inviter, roomId, invitee.userId())));
    }

    private static List<String> bodies(StackClient client, User user, String roomId) {
        List<String> bodies = new ArrayList<>();
        for (JsonNode e : client.messages(user, roomId)) {
            if ("m.room.message".equals(e.path("type").asText()) && e.path("content").has("body")) {
                bodies.add(e.path("content").path("body").asText());
            }
        }
        return bodies;
    }

    /** The second JVM: the test's classpath (in an argument file), the stack's settings as its environment. */
    private Process startPeer(StackSettings settings, String classpath) throws IOException {
        Path argFile = dataDir.resolve("peer.args");
        Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx768m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "@" + argFile, PeerDomainLauncher.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("peer.log").toFile());
        builder.environment().putAll(settings.toEnvironment());
        builder.environment().put("TIM_STACK_PEER_DOMAIN", KLINIK);
        return builder.start();
    }

    /** SIGTERM (the launcher's shutdown hook stops its applications), then a forced stop if it hangs. */
    private static void stop(Process peer) throws InterruptedException {
        peer.destroy();
        if (!peer.waitFor(60, TimeUnit.SECONDS)) {
            peer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static String tail(Path log) {
        List<String> lines = read(log).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}

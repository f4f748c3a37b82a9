package de.tim.stack;

import static de.tim.stack.StackClient.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import javax.imageio.ImageIO;

import de.tim.stack.StackClient.User;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Matrix domains talk over federation through both Messenger-Proxies of the local stack: the
 * homeserver's outbound requests leave through the sending domain's egress listener, enter through the
 * other domain's federation listener (TLS, federation list, X-Matrix) and reach the homeserver again.
 * Invite, join, messages both ways and leave (with a small measurement of the delivery latency: send on A
 * until visible in B's long-polling /sync); kick, ban and unban of a remote member; redactions seen by the
 * other server's clients; remote profiles; a knock accepted by an invite; typing and read receipts both ways;
 * a remote room partner's presence status; remote media downloaded and thumbnailed through the other domain's
 * gateway, then served from its cache; the history from before a join fetched by backfill; a rescinded invite
 * reaching the invitee's server (invites go praxis-a → klinik-b: the other way the stack's permission concept
 * refuses them, stage 3). The stack keeps the homeserver's message rate limit (burst 10 per user), so the tests
 * share the demo users' budgets carefully, and each demo account logs in once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationStackIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Each direction gets 8 samples (anna and ben each send 1 + 8 messages, within the burst). */
    private static final int LATENCY_SAMPLES = 8;

    @TempDir
    static Path dataDir;

    private LocalStack stack;
    private StackClient client;
    private int praxisPort;
    private int klinikPort;

    @BeforeAll
    void startStack() {
        StackSettings settings = LocalStackIntegrationTests.settingsOnFreePorts(dataDir);
        stack = LocalStack.start(settings);
        client = new StackClient(stack.caCertificate());
        praxisPort = settings.domains().get(0).clientPort();
        klinikPort = settings.domains().get(1).clientPort();
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** One login per demo account for the whole class: the stack keeps the per-account login rate limit (burst 5). */
    private final Map<String, User> logins = new java.util.concurrent.ConcurrentHashMap<>();

    private User praxis(String localpart) {
        return logins.computeIfAbsent("@" + localpart + ":praxis-a.tim.local", id -> client.login(id, stack.demoPassword(), praxisPort));
    }

    private User klinik(String localpart) {
        return logins.computeIfAbsent("@" + localpart + ":klinik-b.tim.local", id -> client.login(id, stack.demoPassword(), klinikPort));
    }

    /** Invites over federation (waiting for the gateways' federation list at first) until the invitee's sync shows it. */
    private void invite(User inviter, String roomId, User invitee) {
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> !client.call(inviter, "POST",
                "/rooms/" + enc(roomId) + "/invite", Map.of("user_id", invitee.userId())).has("errcode"));
        await().atMost(WAIT).until(() -> client.sync(invitee).path("rooms").path("invite").has(roomId));
    }

    private void inviteAndJoin(User inviter, String roomId, User invitee) {
        invite(inviter, roomId, invitee);
        JsonNode joined = client.call(invitee, "POST", "/join/" + enc(roomId), Map.of());
        assertThat(joined.path("room_id").asText()).as("join: %s", joined).isEqualTo(roomId);
        await().atMost(WAIT).until(() -> "join".equals(client.membership(inviter, roomId, invitee.userId())));
    }

    @Test
    void twoDomainsFederateThroughBothGateways() {
        User anna = praxis("anna.schmidt");
        User ben = klinik("ben.weber");
        String roomId = client.createRoom(anna, Map.of("preset", "private_chat", "name", "Fallbesprechung"));
        invite(anna, roomId, ben);
        assertThat(client.sync(ben).path("rooms").path("invite").path(roomId).path("invite_state").toString())
                .contains("Fallbesprechung");
        JsonNode joined = client.call(ben, "POST", "/join/" + enc(roomId), Map.of());
        assertThat(joined.path("room_id").asText()).as("join: %s", joined).isEqualTo(roomId);
        assertThat(client.call(anna, "GET", "/rooms/" + enc(roomId) + "/joined_members", null).path("joined").has(ben.userId()))
                .isTrue();

        client.sendText(anna, roomId, "Guten Morgen aus Praxis A");
        await().atMost(WAIT).until(() -> bodies(ben, roomId).contains("Guten Morgen aus Praxis A"));
        client.sendText(ben, roomId, "Guten Morgen aus Klinik B");
        await().atMost(WAIT).until(() -> bodies(anna, roomId).contains("Guten Morgen aus Klinik B"));
        assertThat(bodies(anna, roomId)).containsExactly("Guten Morgen aus Praxis A", "Guten Morgen aus Klinik B");
        assertThat(bodies(ben, roomId)).containsExactly("Guten Morgen aus Praxis A", "Guten Morgen aus Klinik B");

        List<Long> latencies = new ArrayList<>(measureLatency(anna, ben, roomId));
        latencies.addAll(measureLatency(ben, anna, roomId));
        report(latencies);

        client.call(ben, "POST", "/rooms/" + enc(roomId) + "/leave", Map.of());
        await().atMost(WAIT).until(() -> !client.call(anna, "GET", "/rooms/" + enc(roomId) + "/joined_members", null)
                .path("joined").has(ben.userId()));
    }

    @Test
    void typingReadReceiptsAndPresenceCrossBothGateways() {
        User empfang = praxis("empfang");
        User kardiologie = klinik("kardiologie");
        String roomId = client.createRoom(empfang, Map.of("preset", "private_chat"));
        inviteAndJoin(empfang, roomId, kardiologie);

        typing(empfang, roomId, true);
        await().atMost(WAIT).until(() -> typingIn(kardiologie, roomId).contains(empfang.userId()));
        typing(kardiologie, roomId, true);
        await().atMost(WAIT).until(() -> typingIn(empfang, roomId).contains(kardiologie.userId()));
        typing(empfang, roomId, false);
        await().atMost(WAIT).until(() -> !typingIn(kardiologie, roomId).contains(empfang.userId()));

        String eventId = client.sendText(kardiologie, roomId, "Befund liegt vor");
        await().atMost(WAIT).until(() -> bodies(empfang, roomId).contains("Befund liegt vor"));
        JsonNode receipt = client.call(empfang, "POST", "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(eventId), Map.of());
        assertThat(receipt.has("errcode")).as("receipt: %s", receipt).isFalse();
        await().atMost(WAIT).until(() -> readers(kardiologie, roomId, eventId).contains(empfang.userId()));

        // presence: the room partner's server answers the status from the m.presence it received
        String status = "/presence/" + enc(empfang.userId()) + "/status";
        assertThat(client.call(empfang, "PUT", status, Map.of("presence", "unavailable", "status_msg", "Mittagspause"))
                .has("errcode")).isFalse();
        await().atMost(WAIT).until(() -> "Mittagspause".equals(client.call(kardiologie, "GET", status, null)
                .path("status_msg").asText(null)));
        assertThat(client.call(kardiologie, "GET", status, null).path("presence").asText()).isEqualTo("unavailable");
    }

    private void typing(User user, String roomId, boolean typing) {
        JsonNode answer = client.call(user, "PUT", "/rooms/" + enc(roomId) + "/typing/" + enc(user.userId()),
                typing ? Map.of("typing", true, "timeout", 30_000) : Map.of("typing", false));
        assertThat(answer.has("errcode")).as("typing: %s", answer).isFalse();
    }

    /** Who is typing in the room as the user's own server reports it (initial sync: the current typing state). */
    private List<String> typingIn(User user, String roomId) {
        List<String> typing = new ArrayList<>();
        for (JsonNode event : client.sync(user).path("rooms").path("join").path(roomId).path("ephemeral").path("events")) {
            if ("m.typing".equals(event.path("type").asText())) {
                event.path("content").path("user_ids").forEach(id -> typing.add(id.asText()));
            }
        }
        return typing;
    }

    /** Who has read up to the event according to the user's own server. */
    private List<String> readers(User user, String roomId, String eventId) {
        List<String> readers = new ArrayList<>();
        for (JsonNode event : client.sync(user).path("rooms").path("join").path(roomId).path("ephemeral").path("events")) {
            if ("m.receipt".equals(event.path("type").asText())) {
                event.path("content").path(eventId).path("m.read").fieldNames().forEachRemaining(readers::add);
            }
        }
        return readers;
    }

    @Test
    void historyFromBeforeTheJoinIsBackfilledThroughBothGateways() {
        User empfang = praxis("empfang");
        User kardiologie = klinik("kardiologie");
        String roomId = client.createRoom(empfang, Map.of("preset", "private_chat", "name", "Vorgeschichte"));
        client.sendText(empfang, roomId, "Befund vom Montag");
        client.sendText(empfang, roomId, "Befund vom Dienstag");
        inviteAndJoin(empfang, roomId, kardiologie);
        // klinik-b had nothing of the room before the join: its /messages fetches the history from praxis-a
        // (GET /backfill through klinik-b's egress and praxis-a's federation listener)
        await().atMost(WAIT).until(() -> bodies(kardiologie, roomId).equals(List.of("Befund vom Montag", "Befund vom Dienstag")));
    }

    @Test
    void aRescindedInviteReachesTheInviteesServer() {
        User anna = praxis("anna.schmidt");
        User aufnahme = klinik("aufnahme");
        String roomId = client.createRoom(anna, Map.of("preset", "private_chat", "name", "Zurueckgezogen"));
        invite(anna, roomId, aufnahme);
        String since = client.sync(aufnahme).path("next_batch").asText();
        // klinik-b is not in the room: the kick of the invite reaches it as an out-of-band membership
        JsonNode kicked = client.call(anna, "POST", "/rooms/" + enc(roomId) + "/kick",
                Map.of("user_id", aufnahme.userId(), "reason", "Versehen"));
        assertThat(kicked.has("errcode")).as("kick: %s", kicked).isFalse();
        await().atMost(WAIT).until(() -> leftWith(aufnahme, since, roomId, "leave"));
        assertThat(client.sync(aufnahme).path("rooms").path("invite").has(roomId)).isFalse();
    }

    @Test
    void kickBanAndUnbanOfARemoteMember() {
        User empfang = praxis("empfang");
        User aufnahme = klinik("aufnahme");
        String roomId = client.createRoom(empfang, Map.of("preset", "private_chat", "name", "Moderation"));
        inviteAndJoin(empfang, roomId, aufnahme);

        // kick: the kicked user's own server and client see it
        String since = client.sync(aufnahme).path("next_batch").asText();
        JsonNode kicked = client.call(empfang, "POST", "/rooms/" + enc(roomId) + "/kick",
                Map.of("user_id", aufnahme.userId(), "reason", "Testlauf"));
        assertThat(kicked.has("errcode")).as("kick: %s", kicked).isFalse();
        await().atMost(WAIT).until(() -> leftWith(aufnahme, since, roomId, "leave"));
        assertThat(client.sync(aufnahme).path("rooms").path("join").has(roomId)).isFalse();
        String beforeBan = client.sync(aufnahme).path("next_batch").asText();

        // ban: the banned user's server refuses their join
        JsonNode banned = client.call(empfang, "POST", "/rooms/" + enc(roomId) + "/ban", Map.of("user_id", aufnahme.userId()));
        assertThat(banned.has("errcode")).as("ban: %s", banned).isFalse();
        await().atMost(WAIT).until(() -> "ban".equals(client.membership(empfang, roomId, aufnahme.userId())));
        // the ban reaches B (the room is under leave again; the event itself is after his leave, so not in his timeline)
        await().atMost(WAIT).until(() -> client.call(aufnahme, "GET", "/sync?timeout=0&since=" + enc(beforeBan), null)
                .path("rooms").path("leave").has(roomId));
        StackClient.Answer refused = client.exchange(aufnahme, "POST", "/join/" + enc(roomId), Map.of());
        assertThat(refused.status()).as("join while banned: %s", refused.body()).isEqualTo(403);
        assertThat(refused.errcode()).isEqualTo("M_FORBIDDEN");

        // unban, invite again, join again, and talk
        JsonNode unbanned = client.call(empfang, "POST", "/rooms/" + enc(roomId) + "/unban", Map.of("user_id", aufnahme.userId()));
        assertThat(unbanned.has("errcode")).as("unban: %s", unbanned).isFalse();
        assertThat(client.membership(empfang, roomId, aufnahme.userId())).isEqualTo("leave");
        inviteAndJoin(empfang, roomId, aufnahme);
        client.sendText(aufnahme, roomId, "Wieder da");
        await().atMost(WAIT).until(() -> bodies(empfang, roomId).contains("Wieder da"));
    }

    @Test
    void redactionsReachTheOtherServersClients() {
        User kardiologie = klinik("kardiologie");
        User empfang = praxis("empfang");
        String roomId = client.createRoom(kardiologie, Map.of("preset", "private_chat", "name", "Befunde"));
        inviteAndJoin(kardiologie, roomId, empfang);

        // the sender redacts their own message on B; A's client sees it redacted
        String own = client.sendText(kardiologie, roomId, "versehentlich gesendet");
        await().atMost(WAIT).until(() -> bodies(empfang, roomId).contains("versehentlich gesendet"));
        client.call(kardiologie, "PUT", "/rooms/" + enc(roomId) + "/redact/" + enc(own) + "/" + UUID.randomUUID(),
                Map.of("reason", "falscher Raum"));
        await().atMost(WAIT).until(() -> isRedacted(empfang, roomId, own));

        // a message of A's user, redacted by B's room admin; A's client sees it redacted
        String remote = client.sendText(empfang, roomId, "bitte entfernen");
        await().atMost(WAIT).until(() -> bodies(kardiologie, roomId).contains("bitte entfernen"));
        JsonNode redaction = client.call(kardiologie, "PUT", "/rooms/" + enc(roomId) + "/redact/" + enc(remote) + "/"
                + UUID.randomUUID(), Map.of());
        assertThat(redaction.has("event_id")).as("redact: %s", redaction).isTrue();
        await().atMost(WAIT).until(() -> isRedacted(empfang, roomId, remote));
        assertThat(isRedacted(kardiologie, roomId, remote)).isTrue();
        assertThat(bodies(empfang, roomId)).doesNotContain("versehentlich gesendet", "bitte entfernen");
    }

    @Test
    void profilesOfRemoteUsers() {
        User anna = praxis("anna.schmidt");
        User ben = klinik("ben.weber");
        assertThat(client.call(ben, "PUT", "/profile/" + enc(ben.userId()) + "/displayname",
                Map.of("displayname", "Dr. Ben Weber")).has("errcode")).isFalse();
        // asked through A's gateway, answered by B's homeserver through B's federation listener
        await().atMost(WAIT).until(() -> "Dr. Ben Weber".equals(client.call(anna, "GET", "/profile/" + enc(ben.userId()), null)
                .path("displayname").asText(null)));
        StackClient.Answer displayname = client.exchange(anna, "GET", "/profile/" + enc(ben.userId()) + "/displayname", null);
        assertThat(displayname.body().path("displayname").asText()).as("displayname: %s", displayname).isEqualTo("Dr. Ben Weber");
        StackClient.Answer unknown = client.exchange(anna, "GET", "/profile/" + enc("@niemand:klinik-b.tim.local"), null);
        assertThat(unknown.status()).as("unknown remote user: %s", unknown.body()).isEqualTo(404);
        assertThat(client.exchange(ben, "GET", "/profile/" + enc(anna.userId()), null).status()).isEqualTo(200);
    }

    @Test
    void mediaOfTheOtherDomainThroughBothGateways() throws Exception {
        User anna = praxis("anna.schmidt");
        User kardiologie = klinik("kardiologie");
        byte[] image = png(640, 480);
        String mxc = client.upload(anna, "image/png", "roentgen.png", image);
        String serverAndId = mxc.substring("mxc://".length());
        assertThat(serverAndId).startsWith("praxis-a.tim.local/");
        String download = "/client/v1/media/download/" + serverAndId;

        // B's homeserver asks A's through B's egress and A's federation listener (once the gateways have the federation list)
        AtomicReference<StackClient.Bytes> fetched = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            fetched.set(client.get(kardiologie, download));
            return fetched.get().status() == 200;
        });
        assertThat(fetched.get().body()).as("streamed while fetched").isEqualTo(image);
        assertThat(fetched.get().contentType()).startsWith("image/png");
        double originDownloads = originRequests("download");
        assertThat(originDownloads).as("A's homeserver served the federation download").isGreaterThanOrEqualTo(1);
        StackClient.Bytes cached = client.get(kardiologie, download);
        assertThat(cached.status()).isEqualTo(200);
        assertThat(cached.body()).isEqualTo(image);
        assertThat(cached.contentType()).startsWith("image/png");

        StackClient.Bytes thumbnail = client.get(kardiologie, "/client/v1/media/thumbnail/" + serverAndId
                + "?width=96&height=96&method=crop");
        assertThat(thumbnail.status()).as("thumbnail: %s", new String(thumbnail.body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(200);
        BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
        assertThat(small).as("thumbnail is an image").isNotNull();
        assertThat(small.getWidth()).isEqualTo(96);
        assertThat(small.getHeight()).isEqualTo(96);
        double originThumbnails = originRequests("thumbnail");
        assertThat(originThumbnails).as("A's homeserver served the federation thumbnail").isGreaterThanOrEqualTo(1);
        assertThat(client.get(kardiologie, "/client/v1/media/thumbnail/" + serverAndId + "?width=96&height=96&method=crop").body())
                .isEqualTo(thumbnail.body());
        assertThat(originRequests("thumbnail")).as("the repeated thumbnail came from B's cache").isEqualTo(originThumbnails);

        // the repeated download came from B's cache: A's homeserver served no further federation download
        assertThat(originRequests("download")).isEqualTo(originDownloads);
        assertThat(client.get(kardiologie, download + "/befund.png").body()).isEqualTo(image);
        assertThat(originRequests("download")).isEqualTo(originDownloads);
        // the uploader's own download is local
        assertThat(client.get(anna, download).body()).isEqualTo(image);

        // media A does not know: the spec's 404 M_NOT_FOUND, for download and thumbnail
        StackClient.Bytes unknown = client.get(kardiologie, "/client/v1/media/download/praxis-a.tim.local/unbekannt0123456789abcdef");
        assertThat(unknown.status()).as("unknown remote media: %s", unknown.json()).isEqualTo(404);
        assertThat(unknown.json().path("errcode").asText()).isEqualTo("M_NOT_FOUND");
        StackClient.Bytes unknownThumbnail = client.get(kardiologie,
                "/client/v1/media/thumbnail/praxis-a.tim.local/unbekannt0123456789abcdef?width=32&height=32");
        assertThat(unknownThumbnail.status()).as("unknown remote thumbnail: %s", unknownThumbnail.json()).isEqualTo(404);
        assertThat(unknownThumbnail.json().path("errcode").asText()).isEqualTo("M_NOT_FOUND");
    }

    /**
     * Federation media requests ({@code download} or {@code thumbnail}) the stack's homeserver has answered, i.e. the
     * origin's side of a remote fetch (both domains are tenants of that one homeserver).
     */
    private double originRequests(String kind) {
        return federationMediaRequests(stack, kind);
    }

    /** Federation media requests ({@code download} or {@code thumbnail}) the stack's homeserver has answered. */
    static double federationMediaRequests(LocalStack stack, String kind) {
        MeterRegistry meters = stack.application("homeserver").getBean(MeterRegistry.class);
        return meters.find("http.server.requests").tag("uri", "/_matrix/federation/v1/media/" + kind + "/{mediaId}")
                .timers().stream().mapToDouble(t -> t.count()).sum();
    }

    /** A PNG of that size with a pattern (so a thumbnail differs from a solid colour). */
    static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, ((x * 255 / width) << 16) | ((y * 255 / height) << 8) | ((x ^ y) & 0xff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Test
    void knockOnARemoteRoomIsAcceptedByAnInvite() {
        User aufnahme = klinik("aufnahme");
        User empfang = praxis("empfang");
        String roomId = client.createRoom(aufnahme, Map.of("preset", "private_chat", "name", "Anmeldung",
                "room_version", "10"));
        assertThat(client.call(aufnahme, "PUT", "/rooms/" + enc(roomId) + "/state/m.room.join_rules/",
                Map.of("join_rule", "knock")).has("event_id")).isTrue();
        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> !client.call(empfang, "POST",
                "/knock/" + enc(roomId) + "?server_name=klinik-b.tim.local", Map.of("reason", "Termin")).has("errcode"));
        assertThat(client.sync(empfang).path("rooms").path("knock").path(roomId).path("knock_state").toString())
                .contains("Anmeldung");
        await().atMost(WAIT).until(() -> "knock".equals(client.membership(aufnahme, roomId, empfang.userId())));
        inviteAndJoin(aufnahme, roomId, empfang);
    }

    /** Whether the user's incremental sync since {@code since} has the room under {@code leave} with that membership. */
    private boolean leftWith(User user, String since, String roomId, String membership) {
        JsonNode left = client.call(user, "GET", "/sync?timeout=0&since=" + enc(since), null).path("rooms").path("leave").path(roomId);
        for (JsonNode event : left.path("timeline").path("events")) {
            if ("m.room.member".equals(event.path("type").asText()) && user.userId().equals(event.path("state_key").asText())
                    && membership.equals(event.path("content").path("membership").asText())) {
                return true;
            }
        }
        return false;
    }

    private boolean isRedacted(User reader, String roomId, String eventId) {
        return client.messages(reader, roomId).stream().anyMatch(e -> eventId.equals(e.path("event_id").asText())
                && e.path("content").isEmpty() && e.path("unsigned").has("redacted_because"));
    }

    /** Send on one side, long-poll /sync on the other until the event shows; microseconds per message. */
    private List<Long> measureLatency(User sender, User receiver, String roomId) {
        String since = client.sync(receiver).path("next_batch").asText();
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            String marker = "latency-" + i + "-" + UUID.randomUUID();
            long start = System.nanoTime();
            client.sendText(sender, roomId, marker);
            boolean seen = false;
            while (!seen) {
                JsonNode sync = client.call(receiver, "GET", "/sync?timeout=10000&since=" + enc(since), null);
                since = sync.path("next_batch").asText(since);
                seen = sync.path("rooms").path("join").path(roomId).path("timeline").toString().contains(marker);
                if (System.nanoTime() - start > WAIT.toNanos()) {
                    throw new AssertionError("message not delivered within " + WAIT);
                }
            }
            micros.add((System.nanoTime() - start) / 1000);
        }
        return micros;
    }

    /** Prints p50/p99 (no assertion on time). */
    private static void report(List<Long> samples) {
        List<Long> micros = new ArrayList<>(samples);
        Collections.sort(micros);
        System.out.printf("Federated delivery latency over %d messages, both directions (send -> visible in the other "
                        + "domain's long-polling /sync): "
                        + "p50 = %.1f ms, p99 = %.1f ms, max = %.1f ms%n", micros.size(),
                micros.get(micros.size() / 2) / 1000.0, micros.get((int) Math.ceil(micros.size() * 0.99) - 1) / 1000.0,
                micros.getLast() / 1000.0);
    }

    private List<String> bodies(User user, String roomId) {
        List<String> bodies = new ArrayList<>();
        for (JsonNode e : client.messages(user, roomId)) {
            if (e.path("type").asText().equals("m.room.message") && e.path("content").has("body")
                    && !e.path("content").path("body").asText("").startsWith("latency-")) {
                bodies.add(e.path("content").path("body").asText());
            }
        }
        return bodies;
    }
}

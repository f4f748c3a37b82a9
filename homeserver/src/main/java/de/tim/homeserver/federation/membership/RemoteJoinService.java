package de.tim.homeserver.federation.membership;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.federation.keys.EventAuthorizers;
import de.tim.homeserver.federation.transaction.MissingEventsFetcher;
import de.tim.homeserver.room.FederationRoomReader;
import de.tim.homeserver.room.RemoteEventPersister;
import de.tim.homeserver.room.RemoteRoomImport;
import de.tim.matrix.auth.EventAuthorizer;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.RoomAlias;
import de.tim.matrix.id.RoomId;
import de.tim.matrix.id.ServerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The joining side of "Joining Rooms": a local user joins a room this server is not in. Candidate
 * resident servers are the {@code server_name}s of the request, the servers of a remote alias
 * ({@code query/directory}) and the room id's server; for the first that answers: {@code make_join}
 * with our room versions, fill in and sign the template, {@code send_join} v2, verify the returned
 * state and auth chain, and import the room with the join as its head. A rejoin after every local user left
 * first stores what the room had meanwhile ({@code get_missing_events} from our old head to the join,
 * {@link MissingEventsFetcher}), so those events sit before the join in the timeline; the history before a first
 * join comes later by backfill.
 */
@Service
public class RemoteJoinService {

    private static final Logger log = LoggerFactory.getLogger(RemoteJoinService.class);

    private final FederationClient client;
    private final FederationRoomReader reader;
    private final RemoteRoomImport importer;
    private final EventAuthorizers authorizers;
    private final MembershipHandshake handshake;
    private final MissingEventsFetcher missingEvents;
    private final RemoteEventPersister persister;

    RemoteJoinService(FederationClient client, FederationRoomReader reader, RemoteRoomImport importer,
            EventAuthorizers authorizers, MembershipHandshake handshake, MissingEventsFetcher missingEvents,
            RemoteEventPersister persister) {
        this.missingEvents = missingEvents;
        this.persister = persister;
        this.client = client;
        this.reader = reader;
        this.importer = importer;
        this.authorizers = authorizers;
        this.handshake = handshake;
    }

    /** The room to join and the servers to ask, if the join has to go over federation. */
    public record Target(String roomId, List<String> servers) {
    }

    /**
     * Whether joining {@code roomIdOrAlias} needs federation: a remote alias, a room unknown here, or a room
     * this server left (no local user joined any more: the copy here is stale, so the join goes through
     * {@code make_join}/{@code send_join} at the servers still in it, and the room continues on their state).
     * Empty for rooms this server is in.
     */
    public Optional<Target> remoteTarget(Domain domain, String userId, String roomIdOrAlias, List<String> serverNames) {
        Set<String> servers = new LinkedHashSet<>();
        String roomId;
        if (roomIdOrAlias.startsWith("#")) {
            RoomAlias alias = parseAlias(roomIdOrAlias);
            if (alias.domain().toString().equals(domain.serverName())) {
                return Optional.empty();
            }
            JsonNode answer;
            try {
                answer = client.get(domain, alias.domain().toString(), "/_matrix/federation/v1/query/directory?room_alias="
                        + java.net.URLEncoder.encode(roomIdOrAlias, java.nio.charset.StandardCharsets.UTF_8));
            } catch (FederationException e) {
                throw e.isStatus(404) ? MatrixException.notFound("Room alias not found") : e.toClientError();
            }
            if (!answer.path("room_id").isTextual()) {
                throw MatrixException.unknown(502, "Remote server gave no room id for the alias");
            }
            roomId = answer.get("room_id").textValue();
            answer.path("servers").forEach(s -> {
                if (s.isTextual()) {
                    servers.add(s.textValue());
                }
            });
            servers.add(alias.domain().toString());
        } else {
            roomId = roomIdOrAlias;
        }
        RoomId parsed;
        try {
            parsed = RoomId.parse(roomId);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room id");
        }
        boolean rejoin = false;
        if (reader.isResident(domain, roomId)) {
            if (reader.isInRoom(domain, roomId, ServerName.parse(domain.serverName()))) {
                return Optional.empty();
            }
            // every local user left: our copy of the room is stale, the join must go through a resident server
            rejoin = true;
        }
        servers.addAll(serverNames);
        reader.membership(domain, roomId, userId).ifPresent(invite -> servers.add(invite.pdu().sender().domain().toString()));
        if (rejoin) {
            servers.addAll(reader.joinedServers(domain, roomId));
        }
        servers.add(parsed.domain().toString());
        servers.remove(domain.serverName());
        if (servers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Target(roomId, List.copyOf(servers)));
    }

    /** Runs the handshake with the first resident server that answers; returns the room id. */
    public String join(Requester requester, Target target, String reason) {
        Domain domain = requester.domain();
        MatrixException last = MatrixException.unknown(502, "No resident server could be reached");
        for (String server : target.servers()) {
            try {
                return joinVia(domain, requester.userId(), target.roomId(), server, reason);
            } catch (FederationException e) {
                log.info("Join over federation via a resident server failed: {}", e.getMessage());
                if (!e.isUnavailable() && !RestrictedRemoteJoins.tryAnotherServer(e)) {
                    throw e.toClientError();
                }
                last = e.toClientError();
            }
        }
        throw last;
    }

    private String joinVia(Domain domain, String userId, String roomId, String server, String reason) {
        MembershipHandshake.Signed made = handshake.make(domain, server, roomId, userId, EventTypes.JOIN, reason, v -> true,
                RestrictedRemoteJoins::keepAuthoriser);
        RoomVersion version = made.version();
        ObjectNode signed = made.json();
        Pdu join = made.pdu();
        JsonNode answer = client.send(domain, server, "PUT", "/_matrix/federation/v2/send_join/" + enc(roomId) + "/"
                + enc(join.eventId().value()), signed);
        SendJoinResponseVerifier verifier = new SendJoinResponseVerifier(authorizers.verifier(domain), authorizers.authorizer(domain));
        SendJoinResponseVerifier.Verified verified = verifier.verify(answer.path("state"), answer.path("auth_chain"), version,
                RoomId.parse(roomId));
        join = RestrictedRemoteJoins.residentSigned(answer, join, authorizers.verifier(domain));
        catchUpBeforeRejoin(domain, server, version, roomId, join);
        importer.importJoin(domain, verified.state(), verified.authChain(), join, authorizers.authorizer(domain));
        return roomId;
    }

    /**
     * A rejoin (our stale copy of the room has a head): the events between that head and the join, checked and stored
     * oldest first; an event that cannot be stored (a gap longer than the fetcher reaches, unknown auth events) ends
     * it, and the join then continues on the resident's state as before.
     */
    private void catchUpBeforeRejoin(Domain domain, String server, RoomVersion version, String roomId, Pdu join) {
        List<String> head = reader.extremities(domain, roomId);
        if (head.isEmpty()) {
            return;
        }
        EventAuthorizer authorizer = authorizers.authorizer(domain);
        for (Pdu event : missingEvents.fetch(domain, server, version, RoomId.parse(roomId), head, List.of(join.eventId().value()))) {
            RemoteEventPersister.Result result = persister.persist(domain, event, authorizer);
            if (result.outcome() == RemoteEventPersister.Outcome.MISSING_EVENTS || result.outcome() == RemoteEventPersister.Outcome.NOT_AT_HEAD
                    || result.outcome() == RemoteEventPersister.Outcome.UNKNOWN_ROOM) {
                log.debug("Catching up a rejoined room stopped: {}", result.outcome());
                return;
            }
        }
    }

    private static RoomAlias parseAlias(String alias) {
        try {
            return RoomAlias.parse(alias);
        } catch (IllegalArgumentException e) {
            throw MatrixException.invalidParam("Invalid room alias");
        }
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}

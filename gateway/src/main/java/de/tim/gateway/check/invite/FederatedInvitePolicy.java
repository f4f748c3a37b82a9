package de.tim.gateway.check.invite;

import java.util.Set;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.id.UserId;

/**
 * Stages 1–3 for an invite arriving over federation (as {@code /invite} v1 or v2, or as an
 * {@code m.room.member} invite PDU inside a {@code /send} transaction), decided by the invitee's
 * Messenger-Proxy:
 * <ol>
 *   <li>the inviter's server is the requesting origin and belongs to the federation, the invitee is ours;</li>
 *   <li>the invitee's contact list allows the inviter right now;</li>
 *   <li>otherwise the directory check of the registration service decides.</li>
 * </ol>
 */
public class FederatedInvitePolicy {

    private final FederationMembership federation;
    private final Set<ServerName> ownServerNames;
    private final BiPredicate<UserId, UserId> contactListAllows;
    private final DirectoryCheck directory;

    /**
     * @param contactListAllows (invitee, inviter) → whether the invitee's contact list allows the inviter
     */
    public FederatedInvitePolicy(FederationMembership federation, Set<ServerName> ownServerNames,
                                 BiPredicate<UserId, UserId> contactListAllows, DirectoryCheck directory) {
        this.federation = federation;
        this.ownServerNames = Set.copyOf(ownServerNames);
        this.contactListAllows = contactListAllows;
        this.directory = directory;
    }

    /** Whether {@code event} is an invite of one of our users (and so must pass this policy). */
    public boolean isInviteOfOwnUser(JsonNode event) {
        if (event == null || !event.isObject() || !"m.room.member".equals(text(event, "type"))) {
            return false;
        }
        JsonNode content = event.get("content");
        if (content == null || !"invite".equals(text(content, "membership"))) {
            return false;
        }
        String stateKey = text(event, "state_key");
        if (stateKey == null) {
            return false;
        }
        try {
            return ownServerNames.contains(UserId.parseHistorical(stateKey).domain());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Decides an invite event sent by {@code origin}. */
    public InviteDecision decide(JsonNode event, ServerName origin) {
        if (event == null || !event.isObject() || !"m.room.member".equals(text(event, "type"))) {
            return InviteDecision.forbidden("not-an-invite", "The request does not carry an invite event");
        }
        JsonNode content = event.get("content");
        if (content == null || !"invite".equals(text(content, "membership"))) {
            return InviteDecision.forbidden("not-an-invite", "The request does not carry an invite event");
        }
        if (content.has("third_party_invite")) {
            return InviteDecision.forbidden("third-party-invite", "Third-party invites are not supported");
        }
        UserId inviter;
        UserId invitee;
        try {
            inviter = UserId.parseHistorical(text(event, "sender"));
            invitee = UserId.parseHistorical(text(event, "state_key"));
        } catch (IllegalArgumentException | NullPointerException e) {
            return InviteDecision.forbidden("bad-invite", "The invite event lacks a valid sender or state_key");
        }
        if (!inviter.domain().equals(origin)) {
            return InviteDecision.forbidden("sender-not-origin", "The inviter does not belong to the requesting server");
        }
        if (!federation.isMember(inviter.domain())) {
            return InviteDecision.forbidden("inviter-not-federated", "The inviter's domain does not belong to the TI federation");
        }
        if (!ownServerNames.contains(invitee.domain())) {
            return InviteDecision.forbidden("invitee-not-local", "The invitee is not a user of this server");
        }
        if (contactListAllows.test(invitee, inviter)) {
            return new InviteDecision(null, "contact-list");
        }
        if (directory.allows(inviter, invitee)) {
            return new InviteDecision(null, "directory");
        }
        return InviteDecision.forbidden("not-permitted", "The invitee does not accept invites from this user");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}

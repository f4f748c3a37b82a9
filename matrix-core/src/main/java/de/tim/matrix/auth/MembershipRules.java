package de.tim.matrix.auth;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.id.UserId;

/** Auth rule 4: {@code m.room.member} events (join, invite, leave, ban, knock) for room versions 9–11. */
final class MembershipRules {

    private final SignatureChecker signatures;

    MembershipRules(SignatureChecker signatures) {
        this.signatures = signatures;
    }

    AuthResult check(Pdu event, AuthState state) {
        if (event.stateKey().isEmpty() || !event.content().path("membership").isTextual()) {
            return AuthResult.reject("4.1: member event without state_key or membership");
        }
        JsonNode authoriser = event.content().get("join_authorised_via_users_server");
        if (authoriser != null) {
            if (!authoriser.isTextual() || !UserId.isValid(authoriser.textValue())) {
                return AuthResult.reject("4.2: join_authorised_via_users_server is not a user ID");
            }
            UserId authoriserId = UserId.parseHistorical(authoriser.textValue());
            if (!signatures.isSignedBy(event, authoriserId.domain())) {
                return AuthResult.reject("4.2: not signed by the authorising user's server");
            }
        }
        String membership = event.content().get("membership").textValue();
        return switch (membership) {
            case EventTypes.JOIN -> join(event, state);
            case EventTypes.INVITE -> invite(event, state);
            case EventTypes.LEAVE -> leave(event, state);
            case EventTypes.BAN -> ban(event, state);
            case EventTypes.KNOCK -> knock(event, state);
            default -> AuthResult.reject("4.8: unknown membership " + membership);
        };
    }

    private AuthResult join(Pdu event, AuthState state) {
        String sender = event.sender().value();
        String target = event.stateKey().orElseThrow();
        var create = state.create().orElseThrow();
        if (event.prevEvents().size() == 1 && event.prevEvents().get(0).equals(create.eventId())
                && state.creator().filter(target::equals).isPresent()) {
            return AuthResult.allow("4.3.1: creator's initial join");
        }
        if (!sender.equals(target)) {
            return AuthResult.reject("4.3.2: sender does not match state_key");
        }
        String current = state.membership(sender);
        if (EventTypes.BAN.equals(current)) {
            return AuthResult.reject("4.3.3: sender is banned");
        }
        String joinRule = state.joinRule();
        boolean invitedOrJoined = EventTypes.INVITE.equals(current) || EventTypes.JOIN.equals(current);
        if ("invite".equals(joinRule) || "knock".equals(joinRule)) {
            return invitedOrJoined ? AuthResult.allow("4.3.4: invited or joined")
                    : AuthResult.reject("4.3.7: join rule " + joinRule + " needs an invite");
        }
        if ("restricted".equals(joinRule)
                || ("knock_restricted".equals(joinRule) && state.version().knockRestrictedJoinRule())) {
            if (invitedOrJoined) {
                return AuthResult.allow("4.3.5.1: invited or joined");
            }
            JsonNode authoriser = event.content().get("join_authorised_via_users_server");
            if (authoriser == null || !authoriser.isTextual()) {
                return AuthResult.reject("4.3.5.2: restricted join without join_authorised_via_users_server");
            }
            String user = authoriser.textValue();
            PowerLevels levels = state.powerLevels();
            if (!EventTypes.JOIN.equals(state.membership(user)) || levels.userLevel(user) < levels.invite()) {
                return AuthResult.reject("4.3.5.2: authorising user may not invite");
            }
            return AuthResult.allow("4.3.5.3: restricted join authorised by " + user);
        }
        if ("public".equals(joinRule)) {
            return AuthResult.allow("4.3.6: public room");
        }
        return AuthResult.reject("4.3.7: join rule " + joinRule + " does not allow joining");
    }

    private AuthResult invite(Pdu event, AuthState state) {
        if (event.content().has("third_party_invite")) {
            return ThirdPartyInviteCheck.check(event, state);
        }
        String sender = event.sender().value();
        String target = event.stateKey().orElseThrow();
        if (!EventTypes.JOIN.equals(state.membership(sender))) {
            return AuthResult.reject("4.4.2: sender is not joined");
        }
        String targetMembership = state.membership(target);
        if (EventTypes.JOIN.equals(targetMembership) || EventTypes.BAN.equals(targetMembership)) {
            return AuthResult.reject("4.4.3: target is " + targetMembership);
        }
        PowerLevels levels = state.powerLevels();
        return levels.userLevel(sender) >= levels.invite() ? AuthResult.allow("4.4.4: sender may invite")
                : AuthResult.reject("4.4.5: sender's power level is below the invite level");
    }

    private AuthResult leave(Pdu event, AuthState state) {
        String sender = event.sender().value();
        String target = event.stateKey().orElseThrow();
        if (sender.equals(target)) {
            String current = state.membership(sender);
            boolean ok = EventTypes.INVITE.equals(current) || EventTypes.JOIN.equals(current)
                    || EventTypes.KNOCK.equals(current);
            return ok ? AuthResult.allow("4.5.1: leaving") : AuthResult.reject("4.5.1: cannot leave from " + current);
        }
        if (!EventTypes.JOIN.equals(state.membership(sender))) {
            return AuthResult.reject("4.5.2: sender is not joined");
        }
        PowerLevels levels = state.powerLevels();
        long senderLevel = levels.userLevel(sender);
        if (EventTypes.BAN.equals(state.membership(target)) && senderLevel < levels.ban()) {
            return AuthResult.reject("4.5.3: unban needs the ban level");
        }
        if (senderLevel >= levels.kick() && levels.userLevel(target) < senderLevel) {
            return AuthResult.allow("4.5.4: kick allowed");
        }
        return AuthResult.reject("4.5.5: sender may not kick the target");
    }

    private AuthResult ban(Pdu event, AuthState state) {
        String sender = event.sender().value();
        if (!EventTypes.JOIN.equals(state.membership(sender))) {
            return AuthResult.reject("4.6.1: sender is not joined");
        }
        PowerLevels levels = state.powerLevels();
        long senderLevel = levels.userLevel(sender);
        if (senderLevel >= levels.ban() && levels.userLevel(event.stateKey().orElseThrow()) < senderLevel) {
            return AuthResult.allow("4.6.2: ban allowed");
        }
        return AuthResult.reject("4.6.3: sender may not ban the target");
    }

    private AuthResult knock(Pdu event, AuthState state) {
        String joinRule = state.joinRule();
        RoomVersion version = state.version();
        boolean knockable = "knock".equals(joinRule)
                || ("knock_restricted".equals(joinRule) && version.knockRestrictedJoinRule());
        if (!knockable) {
            return AuthResult.reject("4.7.1: join rule " + joinRule + " does not allow knocking");
        }
        String sender = event.sender().value();
        if (!sender.equals(event.stateKey().orElseThrow())) {
            return AuthResult.reject("4.7.2: sender does not match state_key");
        }
        String current = state.membership(sender);
        if (!EventTypes.BAN.equals(current) && !EventTypes.INVITE.equals(current) && !EventTypes.JOIN.equals(current)) {
            return AuthResult.allow("4.7.3: knock allowed");
        }
        return AuthResult.reject("4.7.4: cannot knock while " + current);
    }
}

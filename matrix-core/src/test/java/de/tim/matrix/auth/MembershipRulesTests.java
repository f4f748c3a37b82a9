package de.tim.matrix.auth;

import static de.tim.matrix.auth.TestRoom.ALICE;
import static de.tim.matrix.auth.TestRoom.BOB;
import static de.tim.matrix.auth.TestRoom.CAROL;
import static de.tim.matrix.auth.TestRoom.DAVE;
import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.event.EventTypes;
import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.StrictJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rule 4: m.room.member. */
class MembershipRulesTests {

    private static String joinRules(String rule) {
        return "{\"join_rule\":\"" + rule + "\"}";
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_1RejectsMemberEventsWithoutMembership(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        assertThat(room.check(room.state(ALICE, EventTypes.MEMBER, ALICE, "{}")).reason()).startsWith("4.1");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_3_1CreatorMayJoinRightAfterCreate(RoomVersion v) {
        TestRoom room = new TestRoom(v);
        room.accept(room.create(ALICE, "{}"));
        assertThat(room.check(room.member(ALICE, ALICE, "join")).reason()).startsWith("4.3.1");
        assertThat(room.check(room.member(CAROL, CAROL, "join")).allowed()).isFalse();
    }

    @Test
    void rule4_3_1UsesCreatorPropertyBeforeV11AndSenderInV11() {
        for (RoomVersion v : List.of(RoomVersion.V10, RoomVersion.V11)) {
            TestRoom room = new TestRoom(v);
            // create sent by Alice but naming Carol as creator: only v9/v10 read the property.
            room.accept(room.create(ALICE, "{\"creator\":\"" + CAROL + "\"}"));
            boolean carolFirstJoin = room.check(room.member(CAROL, CAROL, "join")).allowed();
            boolean aliceFirstJoin = room.check(room.member(ALICE, ALICE, "join")).allowed();
            assertThat(carolFirstJoin).as("carol in %s", v).isEqualTo(v == RoomVersion.V10);
            assertThat(aliceFirstJoin).as("alice in %s", v).isEqualTo(v == RoomVersion.V11);
        }
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_3_2JoinMustBeForOneself(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules("public")));
        assertThat(room.check(room.member(ALICE, BOB, "join")).reason()).startsWith("4.3.2");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_3_3BannedUsersCannotJoin(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules("public")));
        room.accept(room.member(ALICE, BOB, "ban"));
        assertThat(room.check(room.member(BOB, BOB, "join")).reason()).startsWith("4.3.3");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_3_4InviteAndKnockRoomsNeedAnInvite(RoomVersion v) {
        for (String rule : List.of("invite", "knock")) {
            TestRoom room = TestRoom.standard(v);
            room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules(rule)));
            assertThat(room.check(room.member(BOB, BOB, "join")).allowed()).isFalse();
            room.accept(room.member(ALICE, BOB, "invite"));
            assertThat(room.check(room.member(BOB, BOB, "join")).reason()).startsWith("4.3.4");
        }
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_3_5RestrictedJoinNeedsAnAuthoriserWhoMayInvite(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules("restricted")));
        assertThat(room.check(room.member(BOB, BOB, "join")).reason()).startsWith("4.3.5.2");
        Pdu authorised = room.state(BOB, EventTypes.MEMBER, BOB,
                "{\"membership\":\"join\",\"join_authorised_via_users_server\":\"" + ALICE + "\"}");
        // Signed only by Bob's server: rule 4.2 requires Alice's server too.
        assertThat(room.check(authorised).reason()).startsWith("4.2");
        Pdu cosigned = cosign(authorised, ServerName.parse("a.example"));
        assertThat(room.check(cosigned).reason()).startsWith("4.3.5.3");
        // Carol is not joined, so she cannot authorise a join.
        Pdu viaCarol = cosign(room.state(BOB, EventTypes.MEMBER, BOB,
                "{\"membership\":\"join\",\"join_authorised_via_users_server\":\"" + CAROL + "\"}"), ServerName.parse("a.example"));
        assertThat(room.check(viaCarol).reason()).startsWith("4.3.5.2");
    }

    @Test
    void rule4_3_5KnockRestrictedExistsFromV10() {
        for (RoomVersion v : RoomVersion.values()) {
            TestRoom room = TestRoom.standard(v);
            room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules("knock_restricted")));
            Pdu join = cosign(room.state(BOB, EventTypes.MEMBER, BOB,
                    "{\"membership\":\"join\",\"join_authorised_via_users_server\":\"" + ALICE + "\"}"), ServerName.parse("a.example"));
            assertThat(room.check(join).allowed()).as("restricted join in %s", v).isEqualTo(v != RoomVersion.V9);
            assertThat(room.check(room.member(BOB, BOB, "knock")).allowed()).as("knock in %s", v).isEqualTo(v != RoomVersion.V9);
        }
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_3_6And7PublicAllowsOtherRulesReject(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules("public")));
        assertThat(room.check(room.member(BOB, BOB, "join")).reason()).startsWith("4.3.6");
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules("private")));
        assertThat(room.check(room.member(BOB, BOB, "join")).reason()).startsWith("4.3.7");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_4InviteNeedsJoinedSenderWithInviteLevelAndAnInvitableTarget(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        assertThat(room.check(room.member(CAROL, BOB, "invite")).reason()).startsWith("4.4.2");
        assertThat(room.check(room.member(ALICE, BOB, "invite")).reason()).startsWith("4.4.4");
        room.accept(room.member(ALICE, BOB, "invite"));
        room.accept(room.member(BOB, BOB, "join"));
        assertThat(room.check(room.member(ALICE, BOB, "invite")).reason()).startsWith("4.4.3");
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100},\"invite\":50}"));
        assertThat(room.check(room.member(BOB, CAROL, "invite")).reason()).startsWith("4.4.5");
        room.accept(room.member(ALICE, DAVE, "ban"));
        assertThat(room.check(room.member(ALICE, DAVE, "invite")).reason()).startsWith("4.4.3");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_4_1ThirdPartyInvites(RoomVersion v) {
        ThirdPartyInviteFixture f = new ThirdPartyInviteFixture(TestRoom.standard(v));
        assertThat(f.room.check(f.invite(ALICE, BOB, f.signedFor(BOB))).reason()).startsWith("4.4.1.7");
        assertThat(f.room.check(f.invite(ALICE, BOB, f.signedFor(CAROL))).reason()).startsWith("4.4.1.4");
        assertThat(f.room.check(f.invite(ALICE, BOB, f.signedWithWrongKey(BOB))).reason()).startsWith("4.4.1.8");
        assertThat(f.room.check(f.invite(ALICE, BOB, "{\"mxid\":\"" + BOB + "\"}")).reason()).startsWith("4.4.1.3");
        assertThat(f.room.check(f.invite(ALICE, BOB, f.signedForToken(BOB, "other"))).reason()).startsWith("4.4.1.5");
        f.room.accept(f.room.member(ALICE, CAROL, "invite"));
        f.room.accept(f.room.member(CAROL, CAROL, "join"));
        assertThat(f.room.check(f.invite(CAROL, BOB, f.signedFor(BOB))).reason()).startsWith("4.4.1.6");
        f.room.accept(f.room.member(ALICE, BOB, "ban"));
        assertThat(f.room.check(f.invite(ALICE, BOB, f.signedFor(BOB))).reason()).startsWith("4.4.1.1");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_5Leave(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        assertThat(room.check(room.member(BOB, BOB, "leave")).reason()).startsWith("4.5.1: cannot");
        room.accept(room.member(ALICE, BOB, "invite"));
        assertThat(room.check(room.member(BOB, BOB, "leave")).reason()).startsWith("4.5.1: leaving");
        room.accept(room.member(BOB, BOB, "join"));
        assertThat(room.check(room.member(BOB, ALICE, "leave")).reason()).startsWith("4.5.5");
        assertThat(room.check(room.member(CAROL, BOB, "leave")).reason()).startsWith("4.5.2");
        assertThat(room.check(room.member(ALICE, BOB, "leave")).reason()).startsWith("4.5.4");
        room.accept(room.member(ALICE, BOB, "ban"));
        room.accept(room.member(ALICE, CAROL, "invite"));
        room.accept(room.member(CAROL, CAROL, "join"));
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "",
                "{\"users\":{\"" + ALICE + "\":100,\"" + CAROL + "\":60},\"ban\":70}"));
        assertThat(room.check(room.member(CAROL, BOB, "leave")).reason()).startsWith("4.5.3");
        assertThat(room.check(room.member(ALICE, BOB, "leave")).reason()).startsWith("4.5.4");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_6Ban(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        assertThat(room.check(room.member(CAROL, BOB, "ban")).reason()).startsWith("4.6.1");
        assertThat(room.check(room.member(ALICE, BOB, "ban")).reason()).startsWith("4.6.2");
        room.accept(room.member(ALICE, BOB, "invite"));
        room.accept(room.member(BOB, BOB, "join"));
        assertThat(room.check(room.member(BOB, ALICE, "ban")).reason()).startsWith("4.6.3");
        room.accept(room.state(ALICE, EventTypes.POWER_LEVELS, "", "{\"users\":{\"" + ALICE + "\":100,\"" + BOB + "\":100}}"));
        assertThat(room.check(room.member(BOB, ALICE, "ban")).reason()).as("equal level").startsWith("4.6.3");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_7Knock(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        assertThat(room.check(room.member(BOB, BOB, "knock")).reason()).startsWith("4.7.1");
        room.accept(room.state(ALICE, EventTypes.JOIN_RULES, "", joinRules("knock")));
        assertThat(room.check(room.member(ALICE, BOB, "knock")).reason()).startsWith("4.7.2");
        assertThat(room.check(room.member(BOB, BOB, "knock")).reason()).startsWith("4.7.3");
        room.accept(room.member(ALICE, BOB, "invite"));
        assertThat(room.check(room.member(BOB, BOB, "knock")).reason()).startsWith("4.7.4");
    }

    @ParameterizedTest
    @EnumSource(RoomVersion.class)
    void rule4_8UnknownMembership(RoomVersion v) {
        TestRoom room = TestRoom.standard(v);
        assertThat(room.check(room.member(ALICE, ALICE, "dance")).reason()).startsWith("4.8");
    }

    @Test
    void authoriserKeyAddsAuthEventSelectionEntry() {
        var keys = AuthEventSelection.select(EventTypes.MEMBER, BOB, BOB, StrictJson.parse(
                "{\"membership\":\"join\",\"join_authorised_via_users_server\":\"" + ALICE + "\"}"));
        assertThat(keys).containsExactly(StateKey.CREATE, StateKey.POWER_LEVELS, StateKey.member(BOB),
                StateKey.JOIN_RULES, StateKey.member(ALICE));
        assertThat(AuthEventSelection.select(EventTypes.MEMBER, BOB, BOB, StrictJson.parse("{\"membership\":\"knock\"}")))
                .containsExactly(StateKey.CREATE, StateKey.POWER_LEVELS, StateKey.member(BOB), StateKey.JOIN_RULES);
        var invite3p = AuthEventSelection.select(EventTypes.MEMBER, BOB, ALICE, StrictJson.parse(
                "{\"membership\":\"invite\",\"third_party_invite\":{\"signed\":{\"token\":\"t\"}}}"));
        assertThat(invite3p).contains(StateKey.of(EventTypes.THIRD_PARTY_INVITE, "t"), StateKey.member(ALICE), StateKey.member(BOB));
        assertThat(AuthEventSelection.select(EventTypes.CREATE, "", ALICE, StrictJson.parse("{}"))).isEmpty();
        assertThat(AuthEventSelection.select("m.room.message", null, ALICE, StrictJson.parse("{}")))
                .containsExactly(StateKey.CREATE, StateKey.POWER_LEVELS, StateKey.member(ALICE));
    }

    @Test
    void authEventsPicksTheSelectedIdsFromState() {
        TestRoom room = TestRoom.standard(RoomVersion.V11);
        var ids = new java.util.HashMap<StateKey, de.tim.matrix.id.EventId>();
        room.state.forEach((k, e) -> ids.put(k, e.eventId()));
        var auth = AuthEventSelection.authEvents(EventTypes.MEMBER, BOB, BOB, StrictJson.parse("{\"membership\":\"join\"}"), ids);
        assertThat(auth).containsExactly(room.state.get(StateKey.CREATE).eventId(),
                room.state.get(StateKey.POWER_LEVELS).eventId(), room.state.get(StateKey.JOIN_RULES).eventId());
    }

    private static Pdu cosign(Pdu event, ServerName server) {
        var json = de.tim.matrix.event.EventSigning.addSignature(event.json(), event.roomVersion(), server, TestRoom.keyOf(server));
        return Pdu.fromJson(json, event.roomVersion());
    }
}

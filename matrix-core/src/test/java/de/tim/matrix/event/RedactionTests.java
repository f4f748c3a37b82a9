package de.tim.matrix.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.json.StrictJson;
import org.junit.jupiter.api.Test;

/** Redaction per room version, from fragments v9-redactions (v9, v10) and v11-redactions. */
class RedactionTests {

    private static ObjectNode event(String type, String content) {
        return StrictJson.parseObject("""
                {"event_id":"$e","type":"%s","room_id":"!r:x","sender":"@u:x","state_key":"","content":%s,
                 "hashes":{"sha256":"h"},"signatures":{"x":{}},"depth":1,"prev_events":[],"prev_state":[],
                 "auth_events":[],"origin":"x","origin_server_ts":5,"membership":"join","unsigned":{"age":1},
                 "redacts":"$r","other":true}""".formatted(type, content));
    }

    @Test
    void topLevelKeysBeforeV11KeepOriginMembershipPrevState() {
        for (RoomVersion v : new RoomVersion[] {RoomVersion.V9, RoomVersion.V10}) {
            ObjectNode r = Redaction.redact(event("m.room.message", "{\"body\":\"x\"}"), v);
            assertThat(r.properties()).extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrder(
                    "event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures", "depth",
                    "prev_events", "prev_state", "auth_events", "origin", "origin_server_ts", "membership");
            assertThat(r.get("content").isEmpty()).isTrue();
        }
    }

    @Test
    void v11DropsOriginMembershipPrevState() {
        ObjectNode r = Redaction.redact(event("m.room.message", "{\"body\":\"x\"}"), RoomVersion.V11);
        assertThat(r.properties()).extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrder(
                "event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures", "depth",
                "prev_events", "auth_events", "origin_server_ts");
    }

    @Test
    void createKeepsOnlyCreatorBeforeV11AndEverythingInV11() {
        String content = "{\"creator\":\"@u:x\",\"room_version\":\"10\",\"m.federate\":false}";
        assertThat(Redaction.redact(event("m.room.create", content), RoomVersion.V10).get("content"))
                .isEqualTo(StrictJson.parse("{\"creator\":\"@u:x\"}"));
        assertThat(Redaction.redact(event("m.room.create", content), RoomVersion.V11).get("content"))
                .isEqualTo(StrictJson.parse(content));
    }

    @Test
    void powerLevelsKeepInviteOnlyInV11() {
        String content = "{\"ban\":1,\"events\":{},\"events_default\":2,\"invite\":3,\"kick\":4,\"redact\":5,"
                + "\"state_default\":6,\"users\":{},\"users_default\":7,\"notifications\":{\"room\":8}}";
        assertThat(Redaction.redact(event("m.room.power_levels", content), RoomVersion.V9).get("content").has("invite")).isFalse();
        ObjectNode v11 = (ObjectNode) Redaction.redact(event("m.room.power_levels", content), RoomVersion.V11).get("content");
        assertThat(v11.has("invite")).isTrue();
        assertThat(v11.has("notifications")).isFalse();
        assertThat(v11.size()).isEqualTo(9);
    }

    @Test
    void memberKeepsMembershipAuthoriserAndInV11TheSignedThirdPartyInvite() {
        String content = "{\"membership\":\"invite\",\"displayname\":\"U\",\"join_authorised_via_users_server\":\"@a:x\","
                + "\"third_party_invite\":{\"display_name\":\"d\",\"signed\":{\"mxid\":\"@u:x\",\"token\":\"t\"}}}";
        assertThat(Redaction.redact(event("m.room.member", content), RoomVersion.V10).get("content"))
                .isEqualTo(StrictJson.parse("{\"membership\":\"invite\",\"join_authorised_via_users_server\":\"@a:x\"}"));
        assertThat(Redaction.redact(event("m.room.member", content), RoomVersion.V11).get("content"))
                .isEqualTo(StrictJson.parse("{\"membership\":\"invite\",\"join_authorised_via_users_server\":\"@a:x\","
                        + "\"third_party_invite\":{\"signed\":{\"mxid\":\"@u:x\",\"token\":\"t\"}}}"));
    }

    @Test
    void joinRulesHistoryVisibilityAndRedaction() {
        assertThat(Redaction.redact(event("m.room.join_rules", "{\"join_rule\":\"restricted\",\"allow\":[],\"x\":1}"),
                RoomVersion.V9).get("content")).isEqualTo(StrictJson.parse("{\"join_rule\":\"restricted\",\"allow\":[]}"));
        assertThat(Redaction.redact(event("m.room.history_visibility", "{\"history_visibility\":\"shared\",\"x\":1}"),
                RoomVersion.V11).get("content")).isEqualTo(StrictJson.parse("{\"history_visibility\":\"shared\"}"));
        assertThat(Redaction.redact(event("m.room.redaction", "{\"redacts\":\"$r\",\"reason\":\"spam\"}"),
                RoomVersion.V11).get("content")).isEqualTo(StrictJson.parse("{\"redacts\":\"$r\"}"));
        assertThat(Redaction.redact(event("m.room.redaction", "{\"redacts\":\"$r\"}"), RoomVersion.V10).get("content").isEmpty()).isTrue();
        assertThat(Redaction.redact(event("m.room.aliases", "{\"aliases\":[\"#a:x\"]}"), RoomVersion.V9).get("content").isEmpty()).isTrue();
    }
}

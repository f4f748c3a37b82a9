package de.tim.homeserver.pushrules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import de.tim.matrix.json.PropertyPath;

/** Push rule evaluation against the spec's text (client-server API "Push Rules", v1.11). */
class PushRuleEvaluatorTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ME = "@alice:a.test";
    private static final String OTHER = "@bob:a.test";
    private static final String ROOM = "!room:a.test";

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode message(String body) {
        ObjectNode event = json("{'type':'m.room.message','sender':'" + OTHER + "','room_id':'" + ROOM + "','event_id':'$e'}");
        event.putObject("content").put("msgtype", "m.text").put("body", body);
        return event;
    }

    private static PushContext ctx(ObjectNode event, long members) {
        return new PushContext(event, ME, "Alice Example", members, null, "@creator:a.test");
    }

    private static PushActions defaults(ObjectNode event, long members) {
        return PushRuleEvaluator.evaluate(DefaultPushRules.forUser(ME), ctx(event, members));
    }

    private static ObjectNode withUserRule(String kind, ObjectNode rule) {
        ObjectNode ruleset = DefaultPushRules.forUser(ME);
        ArrayNode rules = ruleset.has(kind) ? (ArrayNode) ruleset.get(kind) : ruleset.putArray(kind);
        rules.insert("override".equals(kind) ? 1 : 0, rule); // after .m.rule.master, before the server defaults
        return ruleset;
    }

    @Test
    void plainMessageInGroupNotifiesWithoutSoundOrHighlight() {
        PushActions a = defaults(message("hello everyone"), 5);
        assertThat(a.ruleId()).isEqualTo(".m.rule.message");
        assertThat(a.notifies()).isTrue();
        assertThat(a.highlight()).isFalse();
        assertThat(a.tweaks()).isEmpty();
    }

    @Test
    void messageInOneToOneRoomNotifiesWithSound() {
        PushActions a = defaults(message("hi"), 2);
        assertThat(a.ruleId()).isEqualTo(".m.rule.room_one_to_one");
        assertThat(a.notifies()).isTrue();
        assertThat(a.tweaks()).containsEntry("sound", "default");
    }

    @Test
    void encryptedEventsInDmAndGroup() {
        ObjectNode event = json("{'type':'m.room.encrypted','sender':'" + OTHER + "','room_id':'" + ROOM
                + "','content':{'algorithm':'m.megolm.v1.aes-sha2','ciphertext':'x'}}");
        assertThat(defaults(event, 2).ruleId()).isEqualTo(".m.rule.encrypted_room_one_to_one");
        assertThat(defaults(event, 2).tweaks()).containsEntry("sound", "default");
        assertThat(defaults(event, 3).ruleId()).isEqualTo(".m.rule.encrypted");
        assertThat(defaults(event, 3).notifies()).isTrue();
    }

    @Test
    void userMentionHighlights() {
        ObjectNode event = message("see this");
        ((ObjectNode) event.get("content")).putObject("m.mentions").putArray("user_ids").add(ME);
        PushActions a = defaults(event, 5);
        assertThat(a.ruleId()).isEqualTo(".m.rule.is_user_mention");
        assertThat(a.notifies()).isTrue();
        assertThat(a.highlight()).isTrue();
        assertThat(a.tweaks()).containsEntry("sound", "default").containsEntry("highlight", true);
    }

    @Test
    void mentionsPropertySwitchesOffLegacyBodyRules() {
        // body names the user, but m.mentions says nobody: .m.rule.contains_display_name / contains_user_name must not apply
        ObjectNode event = message("alice: Alice Example look");
        ((ObjectNode) event.get("content")).putObject("m.mentions");
        PushActions a = defaults(event, 5);
        assertThat(a.ruleId()).isEqualTo(".m.rule.message");
        assertThat(a.highlight()).isFalse();
    }

    @Test
    void legacyDisplayNameAndUserNameMatchAtWordBoundaries() {
        assertThat(defaults(message("hey Alice Example, lunch?"), 5).ruleId()).isEqualTo(".m.rule.contains_display_name");
        assertThat(defaults(message("hey alice example!"), 5).highlight()).isTrue();
        assertThat(defaults(message("ping alice"), 5).ruleId()).isEqualTo(".m.rule.contains_user_name");
        assertThat(defaults(message("ping alice"), 5).highlight()).isTrue();
        assertThat(defaults(message("malice aforethought"), 5).ruleId()).isEqualTo(".m.rule.message");
        assertThat(defaults(message("alice_x"), 5).ruleId()).isEqualTo(".m.rule.message");
    }

    @Test
    void roomMentionNeedsSenderPermission() {
        ObjectNode event = message("all");
        ((ObjectNode) event.get("content")).putObject("m.mentions").put("room", true);
        JsonNode lowPower = json("{'users':{'@creator:a.test':100},'users_default':0}");
        JsonNode highPower = json("{'users':{'" + OTHER + "':50},'users_default':0}");
        JsonNode customLevel = json("{'users':{'" + OTHER + "':10},'notifications':{'room':10}}");
        DefaultPushRules.forUser(ME);
        assertThat(PushRuleEvaluator.evaluate(DefaultPushRules.forUser(ME),
                new PushContext(event, ME, null, 5, lowPower, "@creator:a.test")).ruleId()).isEqualTo(".m.rule.message");
        PushActions high = PushRuleEvaluator.evaluate(DefaultPushRules.forUser(ME),
                new PushContext(event, ME, null, 5, highPower, "@creator:a.test"));
        assertThat(high.ruleId()).isEqualTo(".m.rule.is_room_mention");
        assertThat(high.highlight()).isTrue();
        assertThat(PushRuleEvaluator.evaluate(DefaultPushRules.forUser(ME),
                new PushContext(event, ME, null, 5, customLevel, "@creator:a.test")).ruleId()).isEqualTo(".m.rule.is_room_mention");
        // without a power levels event only the creator has power
        assertThat(PushRuleEvaluator.evaluate(DefaultPushRules.forUser(ME),
                new PushContext(event, ME, null, 5, null, OTHER)).ruleId()).isEqualTo(".m.rule.is_room_mention");
    }

    @Test
    void legacyAtRoomInBody() {
        JsonNode power = json("{'users':{'" + OTHER + "':100}}");
        PushActions a = PushRuleEvaluator.evaluate(DefaultPushRules.forUser(ME),
                new PushContext(message("@room meeting now"), ME, null, 5, power, null));
        assertThat(a.ruleId()).isEqualTo(".m.rule.roomnotif");
        assertThat(a.highlight()).isTrue();
    }

    @Test
    void noticesAreSuppressedEvenInDms() {
        ObjectNode notice = message("bot says hi");
        ((ObjectNode) notice.get("content")).put("msgtype", "m.notice");
        PushActions a = defaults(notice, 2);
        assertThat(a.ruleId()).isEqualTo(".m.rule.suppress_notices");
        assertThat(a.notifies()).isFalse();
    }

    @Test
    void inviteForMeNotifiesOtherMemberEventsDoNot() {
        ObjectNode invite = json("{'type':'m.room.member','sender':'" + OTHER + "','room_id':'" + ROOM + "','state_key':'" + ME
                + "','content':{'membership':'invite'}}");
        PushActions a = defaults(invite, 2);
        assertThat(a.ruleId()).isEqualTo(".m.rule.invite_for_me");
        assertThat(a.notifies()).isTrue();
        assertThat(a.tweaks()).containsEntry("sound", "default");
        ObjectNode otherInvite = json("{'type':'m.room.member','sender':'" + OTHER + "','room_id':'" + ROOM
                + "','state_key':'@carol:a.test','content':{'membership':'invite'}}");
        assertThat(defaults(otherInvite, 3).ruleId()).isEqualTo(".m.rule.member_event");
        assertThat(defaults(otherInvite, 3).notifies()).isFalse();
    }

    @Test
    void tombstoneHighlightsReactionsEditsAndServerAclAreSilent() {
        ObjectNode tombstone = json("{'type':'m.room.tombstone','state_key':'','sender':'" + OTHER + "','room_id':'" + ROOM
                + "','content':{'body':'moved','replacement_room':'!new:a.test'}}");
        assertThat(defaults(tombstone, 5).ruleId()).isEqualTo(".m.rule.tombstone");
        assertThat(defaults(tombstone, 5).highlight()).isTrue();
        ObjectNode notState = tombstone.deepCopy();
        notState.remove("state_key");
        assertThat(defaults(notState, 5).notifies()).isFalse();
        ObjectNode reaction = json("{'type':'m.reaction','sender':'" + OTHER + "','room_id':'" + ROOM
                + "','content':{'m.relates_to':{'rel_type':'m.annotation','event_id':'$x','key':'👍'}}}");
        assertThat(defaults(reaction, 2).ruleId()).isEqualTo(".m.rule.reaction");
        assertThat(defaults(reaction, 2).notifies()).isFalse();
        ObjectNode acl = json("{'type':'m.room.server_acl','state_key':'','sender':'" + OTHER + "','room_id':'" + ROOM
                + "','content':{'allow':['*']}}");
        assertThat(defaults(acl, 2).ruleId()).isEqualTo(".m.rule.room.server_acl");
        ObjectNode edit = message("* fixed");
        ((ObjectNode) edit.get("content")).putObject("m.relates_to").put("rel_type", "m.replace").put("event_id", "$x");
        assertThat(defaults(edit, 2).ruleId()).isEqualTo(".m.rule.suppress_edits");
        assertThat(defaults(edit, 2).notifies()).isFalse();
    }

    @Test
    void callInviteRings() {
        ObjectNode call = json("{'type':'m.call.invite','sender':'" + OTHER + "','room_id':'" + ROOM + "','content':{}}");
        assertThat(defaults(call, 2).ruleId()).isEqualTo(".m.rule.call");
        assertThat(defaults(call, 2).tweaks()).containsEntry("sound", "ring");
    }

    @Test
    void stateEventsWithoutRuleDoNotNotify() {
        ObjectNode topic = json("{'type':'m.room.topic','state_key':'','sender':'" + OTHER + "','room_id':'" + ROOM
                + "','content':{'topic':'x'}}");
        assertThat(defaults(topic, 2)).isEqualTo(PushActions.NONE);
    }

    @Test
    void masterRuleEnabledSilencesEverythingIncludingUserRules() {
        ObjectNode ruleset = withUserRule("override", json("{'rule_id':'all','default':false,'enabled':true,'conditions':[],"
                + "'actions':['notify']}"));
        ((ObjectNode) ruleset.get("override").get(0)).put("enabled", true);
        PushActions a = PushRuleEvaluator.evaluate(ruleset, ctx(message("hi"), 2));
        assertThat(a.ruleId()).isEqualTo(".m.rule.master");
        assertThat(a.notifies()).isFalse();
    }

    @Test
    void disabledRuleNeverMatches() {
        ObjectNode ruleset = DefaultPushRules.forUser(ME);
        for (JsonNode rule : ruleset.get("underride")) {
            if (rule.get("rule_id").asText().equals(".m.rule.room_one_to_one")) {
                ((ObjectNode) rule).put("enabled", false);
            }
        }
        PushActions a = PushRuleEvaluator.evaluate(ruleset, ctx(message("hi"), 2));
        assertThat(a.ruleId()).isEqualTo(".m.rule.message");
        assertThat(a.tweaks()).doesNotContainKey("sound");
    }

    @Test
    void roomRuleSilencesARoomAndSenderRuleBeatsUnderride() {
        ObjectNode mute = withUserRule("room", json("{'rule_id':'" + ROOM + "','default':false,'enabled':true,'actions':[]}"));
        assertThat(PushRuleEvaluator.evaluate(mute, ctx(message("hi"), 2)).notifies()).isFalse();
        // a mention is an override, so it still wins over the muted room
        ObjectNode mention = message("hi");
        ((ObjectNode) mention.get("content")).putObject("m.mentions").putArray("user_ids").add(ME);
        assertThat(PushRuleEvaluator.evaluate(mute, ctx(mention, 2)).highlight()).isTrue();
        ObjectNode loud = withUserRule("sender", json("{'rule_id':'" + OTHER + "','default':false,'enabled':true,"
                + "'actions':['notify',{'set_tweak':'sound','value':'bell'}]}"));
        assertThat(PushRuleEvaluator.evaluate(loud, ctx(message("hi"), 7)).tweaks()).containsEntry("sound", "bell");
        ObjectNode otherRoom = message("hi");
        otherRoom.put("room_id", "!elsewhere:a.test");
        assertThat(PushRuleEvaluator.evaluate(mute, ctx(otherRoom, 2)).notifies()).isTrue();
    }

    @Test
    void contentRuleMatchesGlobAtWordBoundaries() {
        ObjectNode ruleset = withUserRule("content", json("{'rule_id':'ex','default':false,'enabled':true,'pattern':'ex*ple',"
                + "'actions':['notify',{'set_tweak':'highlight','value':false}]}"));
        // examples from the spec text
        assertThat(PushRuleEvaluator.evaluate(ruleset, ctx(message("An example event."), 5)).ruleId()).isEqualTo("ex");
        assertThat(PushRuleEvaluator.evaluate(ruleset, ctx(message("exple"), 5)).ruleId()).isEqualTo("ex");
        assertThat(PushRuleEvaluator.evaluate(ruleset, ctx(message("An exciting triple-whammy"), 5)).ruleId()).isEqualTo("ex");
        assertThat(PushRuleEvaluator.evaluate(ruleset, ctx(message("texample"), 5)).ruleId()).isEqualTo(".m.rule.message");
        assertThat(PushRuleEvaluator.evaluate(ruleset, ctx(message("An example"), 5)).highlight()).isFalse();
    }

    @Test
    void eventMatchIsWholeValueCaseInsensitiveAndOnlyOnStrings() {
        ObjectNode topic = json("{'type':'m.room.topic','state_key':'','content':{'topic':'Lunch plans'}}");
        JsonNode cond = json("{'kind':'event_match','key':'content.topic','pattern':'lunc?*'}");
        PushContext c = new PushContext(topic, ME, null, 2, null, null);
        assertThat(PushRuleEvaluator.condition(cond, c)).isTrue();
        for (String value : new String[] {"LUNCH"}) {
            ((ObjectNode) topic.get("content")).put("topic", value);
            assertThat(PushRuleEvaluator.condition(cond, c)).as(value).isTrue();
        }
        for (String value : new String[] {" lunch", "lunc"}) {
            ((ObjectNode) topic.get("content")).put("topic", value);
            assertThat(PushRuleEvaluator.condition(cond, c)).as(value).isFalse();
        }
        ((ObjectNode) topic.get("content")).putNull("topic");
        assertThat(PushRuleEvaluator.condition(cond, c)).isFalse();
        JsonNode star = json("{'kind':'event_match','key':'content.missing','pattern':'*'}");
        assertThat(PushRuleEvaluator.condition(star, c)).isFalse();
    }

    @Test
    void eventPropertyIsExactWithoutCasts() {
        ObjectNode create = json("{'type':'m.room.create','state_key':'','content':{'m.federate':true,'creator':'@x:a.test'}}");
        PushContext c = new PushContext(create, ME, null, 2, null, null);
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_is','key':'content.m\\\\.federate','value':true}"), c))
                .isTrue();
        ((ObjectNode) create.get("content")).put("m.federate", "true");
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_is','key':'content.m\\\\.federate','value':true}"), c))
                .isFalse();
        ((ObjectNode) create.get("content")).put("m.federate", 1);
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_is','key':'content.m\\\\.federate','value':true}"), c))
                .isFalse();
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_is','key':'content.m\\\\.federate','value':1}"), c))
                .isTrue();
        ((ObjectNode) create.get("content")).putNull("m.federate");
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_is','key':'content.m\\\\.federate','value':null}"), c))
                .isTrue();
        // without the escape the dot separates: content.m.federate does not exist
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_is','key':'content.m.federate','value':null}"), c))
                .isFalse();
    }

    @Test
    void eventPropertyContainsMatchesWholeElements() {
        ObjectNode alias = json("{'type':'m.room.canonical_alias','state_key':'','content':{'alt_aliases':"
                + "['#somewhere:example.org','#myroom:example.com',{'x':1}]}}");
        PushContext c = new PushContext(alias, ME, null, 2, null, null);
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_contains','key':'content.alt_aliases',"
                + "'value':'#myroom:example.com'}"), c)).isTrue();
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_contains','key':'content.alt_aliases',"
                + "'value':':example.com'}"), c)).isFalse();
        assertThat(PushRuleEvaluator.condition(json("{'kind':'event_property_contains','key':'content.alias',"
                + "'value':'#a'}"), c)).isFalse();
    }

    @Test
    void roomMemberCountOperators() {
        assertThat(PushRuleEvaluator.memberCount("2", 2)).isTrue();
        assertThat(PushRuleEvaluator.memberCount("==2", 3)).isFalse();
        assertThat(PushRuleEvaluator.memberCount("<3", 2)).isTrue();
        assertThat(PushRuleEvaluator.memberCount("<3", 3)).isFalse();
        assertThat(PushRuleEvaluator.memberCount(">3", 4)).isTrue();
        assertThat(PushRuleEvaluator.memberCount(">=3", 3)).isTrue();
        assertThat(PushRuleEvaluator.memberCount("<=3", 4)).isFalse();
        assertThat(PushRuleEvaluator.memberCount("=2", 2)).isFalse();
        assertThat(PushRuleEvaluator.memberCount("two", 2)).isFalse();
    }

    @Test
    void unknownConditionDisablesTheRuleAndLegacyActionsAreNoOps() {
        ObjectNode ruleset = withUserRule("override", json("{'rule_id':'future','default':false,'enabled':true,"
                + "'conditions':[{'kind':'org.example.unknown'}],'actions':['notify',{'set_tweak':'highlight'}]}"));
        assertThat(PushRuleEvaluator.evaluate(ruleset, ctx(message("hi"), 5)).ruleId()).isEqualTo(".m.rule.message");
        ObjectNode legacy = withUserRule("override", json("{'rule_id':'legacy','default':false,'enabled':true,"
                + "'conditions':[],'actions':['dont_notify']}"));
        PushActions a = PushRuleEvaluator.evaluate(legacy, ctx(message("hi"), 5));
        assertThat(a.ruleId()).isEqualTo("legacy");
        assertThat(a.notifies()).isFalse();
        ObjectNode coalesce = withUserRule("override", json("{'rule_id':'c','default':false,'enabled':true,"
                + "'conditions':[],'actions':['notify','coalesce']}"));
        assertThat(PushRuleEvaluator.evaluate(coalesce, ctx(message("hi"), 5)).notifies()).isTrue();
    }

    @Test
    void propertyPathEscapes() {
        assertThat(PropertyPath.parse("content.m\\.relates_to.rel_type")).containsExactly("content", "m.relates_to", "rel_type");
        assertThat(PropertyPath.parse("content.m\\\\foo")).containsExactly("content", "m\\foo");
        assertThat(PropertyPath.parse("content.m\\xfoo")).containsExactly("content", "m\\xfoo");
    }
}

package de.tim.homeserver.pushrules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import de.tim.matrix.json.PropertyPath;

/**
 * Evaluates a user's {@code global} push ruleset against an event (client-server API "Push Rules"):
 * kinds in priority order (override, content, room, sender, underride), the first enabled matching rule
 * decides; its actions give notify and tweaks. Unknown condition kinds never match; the legacy actions
 * {@code dont_notify} and {@code coalesce} are no-ops. The deprecated body-matching default rules
 * ({@code .m.rule.contains_display_name}, {@code .m.rule.roomnotif}, {@code .m.rule.contains_user_name})
 * apply only to events without {@code content["m.mentions"]}, as the spec asks since v1.7.
 */
public final class PushRuleEvaluator {

    private static final Set<String> LEGACY_MENTION_RULES = Set.of(".m.rule.contains_display_name", ".m.rule.roomnotif",
            ".m.rule.contains_user_name");
    private static final Pattern MEMBER_COUNT = Pattern.compile("^(==|<=|>=|<|>)?([0-9]{1,15})$");
    private static final long MAX_SAFE = (1L << 53) - 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PushRuleEvaluator() {
    }

    public static PushActions evaluate(JsonNode ruleset, PushContext context) {
        for (String kind : PushRuleService.KINDS) {
            for (JsonNode rule : ruleset.path(kind)) {
                if (rule.path("enabled").isBoolean() && !rule.path("enabled").booleanValue()) {
                    continue;
                }
                if (matches(kind, rule, context)) {
                    return actions(rule);
                }
            }
        }
        return PushActions.NONE;
    }

    static boolean matches(String kind, JsonNode rule, PushContext context) {
        String ruleId = rule.path("rule_id").asText("");
        if (rule.path("default").asBoolean(false) && LEGACY_MENTION_RULES.contains(ruleId)
                && context.event().path("content").has("m.mentions")) {
            return false;
        }
        return switch (kind) {
            case "override", "underride" -> allConditions(rule.path("conditions"), context);
            case "content" -> rule.path("pattern").isTextual() && eventMatch("content.body", rule.get("pattern").textValue(), context);
            case "room" -> ruleId.equals(context.roomId());
            case "sender" -> ruleId.equals(context.sender());
            default -> false;
        };
    }

    private static boolean allConditions(JsonNode conditions, PushContext context) {
        if (conditions.isMissingNode() || conditions.isNull()) {
            return true;
        }
        if (!conditions.isArray()) {
            return false;
        }
        for (JsonNode condition : conditions) {
            if (!condition(condition, context)) {
                return false;
            }
        }
        return true;
    }

    static boolean condition(JsonNode condition, PushContext context) {
        String key = condition.path("key").isTextual() ? condition.get("key").textValue() : null;
        return switch (condition.path("kind").asText("")) {
            case "event_match" -> key != null && condition.path("pattern").isTextual()
                    && eventMatch(key, condition.get("pattern").textValue(), context);
            case "event_property_is" -> key != null && condition.has("value")
                    && exactlyEqual(PropertyPath.lookup(context.event(), key), condition.get("value"));
            case "event_property_contains" -> key != null && condition.has("value")
                    && arrayContains(PropertyPath.lookup(context.event(), key), condition.get("value"));
            case "contains_display_name" -> containsDisplayName(context);
            case "room_member_count" -> condition.path("is").isTextual() && memberCount(condition.get("is").textValue(),
                    context.memberCount());
            case "sender_notification_permission" -> key != null
                    && context.senderPowerLevel() >= context.notificationLevel(key);
            default -> false;
        };
    }

    private static boolean eventMatch(String key, String pattern, PushContext context) {
        JsonNode value = PropertyPath.lookup(context.event(), key);
        if (value == null || !value.isTextual()) {
            return false;
        }
        return "content.body".equals(key) ? GlobPattern.matchesWords(pattern, value.textValue())
                : GlobPattern.matchesWhole(pattern, value.textValue());
    }

    private static boolean containsDisplayName(PushContext context) {
        String name = context.displayName();
        JsonNode body = context.event().path("content").path("body");
        if (name == null || name.isBlank() || !body.isTextual()) {
            return false;
        }
        return GlobPattern.containsWords(name, body.textValue());
    }

    static boolean memberCount(String is, long count) {
        Matcher m = MEMBER_COUNT.matcher(is);
        if (!m.matches()) {
            return false;
        }
        long n = Long.parseLong(m.group(2));
        String op = m.group(1) == null ? "==" : m.group(1);
        return switch (op) {
            case "<" -> count < n;
            case ">" -> count > n;
            case "<=" -> count <= n;
            case ">=" -> count >= n;
            default -> count == n;
        };
    }

    /** Exact match of non-compound canonical JSON values: strings, integers (±(2^53-1)), booleans, null. */
    static boolean exactlyEqual(JsonNode actual, JsonNode expected) {
        if (actual == null || expected == null) {
            return false;
        }
        if (actual.isTextual() && expected.isTextual()) {
            return actual.textValue().equals(expected.textValue());
        }
        if (actual.isIntegralNumber() && expected.isIntegralNumber()) {
            return actual.canConvertToLong() && expected.canConvertToLong() && Math.abs(actual.longValue()) <= MAX_SAFE
                    && actual.longValue() == expected.longValue();
        }
        if (actual.isBoolean() && expected.isBoolean()) {
            return actual.booleanValue() == expected.booleanValue();
        }
        return actual.isNull() && expected.isNull();
    }

    private static boolean arrayContains(JsonNode array, JsonNode expected) {
        if (array == null || !array.isArray()) {
            return false;
        }
        for (JsonNode element : array) {
            if (exactlyEqual(element, expected)) {
                return true;
            }
        }
        return false;
    }

    private static PushActions actions(JsonNode rule) {
        ArrayNode actions = rule.path("actions").isArray() ? (ArrayNode) rule.get("actions").deepCopy() : JSON.createArrayNode();
        boolean notify = false;
        Map<String, Object> tweaks = new LinkedHashMap<>();
        for (JsonNode action : actions) {
            if (action.isTextual()) {
                if ("notify".equals(action.textValue())) {
                    notify = true;
                }
                // dont_notify, coalesce: legacy no-ops; unknown string actions are ignored
            } else if (action.isObject() && action.path("set_tweak").isTextual()) {
                String tweak = action.get("set_tweak").textValue();
                JsonNode value = action.get("value");
                if ("highlight".equals(tweak)) {
                    tweaks.put(tweak, value == null || value.isNull() || value.asBoolean(false));
                } else if (value != null) {
                    tweaks.put(tweak, JSON.convertValue(value, Object.class));
                }
            }
        }
        boolean highlight = Boolean.TRUE.equals(tweaks.get("highlight"));
        if (!highlight) {
            tweaks.remove("highlight");
        }
        return new PushActions(rule.path("rule_id").asText(null), actions, notify, highlight, tweaks);
    }
}

package de.tim.homeserver.pushrules;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.accountdata.AccountDataService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/**
 * Push rules of local users: the spec's server-default rules (v1.11, from the spec text) plus user-defined
 * rules, in the spec's priority order. Every change is republished as global account data
 * {@code m.push_rules}, so sync delivers it like any account data change.
 */
@Service
public class PushRuleService {

    /** Rule kinds in priority order. */
    public static final List<String> KINDS = List.of("override", "content", "room", "sender", "underride");
    private static final String MASTER = ".m.rule.master";
    private static final Set<String> ACTION_STRINGS = Set.of("notify", "dont_notify", "coalesce");

    private final PushRuleRepository repository;
    private final AccountDataService accountData;
    private final ObjectMapper json;

    PushRuleService(PushRuleRepository repository, AccountDataService accountData, ObjectMapper json) {
        this.repository = repository;
        this.accountData = accountData;
        this.json = json;
    }

    /** The user's complete {@code global} ruleset. */
    public ObjectNode ruleset(Domain domain, String userId) {
        return ruleset(userId, load(domain, userId));
    }

    /** The complete rulesets of several users, their stored rules read with one query (push evaluation of an event). */
    public Map<String, ObjectNode> rulesets(Domain domain, Collection<String> userIds) {
        Map<String, String> stored = repository.findAll(domain.database(), userIds);
        Map<String, ObjectNode> rulesets = new HashMap<>();
        for (String userId : userIds) {
            String text = stored.get(userId);
            rulesets.put(userId, ruleset(userId, new State(text == null ? json.createObjectNode() : (ObjectNode) read(text))));
        }
        return rulesets;
    }

    private ObjectNode ruleset(String userId, State state) {
        ObjectNode defaults = defaults(userId);
        ObjectNode ruleset = json.createObjectNode();
        for (String kind : KINDS) {
            ArrayNode rules = ruleset.putArray(kind);
            ArrayNode defaultRules = defaults.path(kind).isArray() ? (ArrayNode) defaults.get(kind) : json.createArrayNode();
            if ("override".equals(kind)) {
                defaultRules.forEach(r -> {
                    if (MASTER.equals(r.path("rule_id").asText())) {
                        rules.add(applyDefaultChanges(state, kind, (ObjectNode) r));
                    }
                });
            }
            state.user(kind).forEach(r -> rules.add(r.deepCopy()));
            defaultRules.forEach(r -> {
                if (!MASTER.equals(r.path("rule_id").asText())) {
                    rules.add(applyDefaultChanges(state, kind, (ObjectNode) r));
                }
            });
        }
        return ruleset;
    }

    /** One rule, user-defined or server-default. */
    public Optional<ObjectNode> rule(Domain domain, String userId, String kind, String ruleId) {
        requireKind(kind);
        for (JsonNode rule : ruleset(domain, userId).path(kind)) {
            if (ruleId.equals(rule.path("rule_id").asText())) {
                return Optional.of((ObjectNode) rule);
            }
        }
        return Optional.empty();
    }

    /** Adds or replaces a user-defined rule; {@code before}/{@code after} name a user-defined rule of the kind. */
    public void put(Domain domain, String userId, String kind, String ruleId, JsonNode body, String before, String after) {
        requireKind(kind);
        if (ruleId.startsWith(".")) {
            throw MatrixException.invalidParam("Rule ids starting with '.' are reserved for server-default rules");
        }
        if (ruleId.isEmpty() || ruleId.contains("/") || ruleId.contains("\\")) {
            throw MatrixException.invalidParam("Invalid rule id");
        }
        if (!body.isObject()) {
            throw MatrixException.badJson("Rule must be a JSON object");
        }
        ObjectNode rule = json.createObjectNode();
        rule.put("rule_id", ruleId);
        rule.put("default", false);
        rule.put("enabled", true);
        rule.set("actions", validActions(body.get("actions")));
        switch (kind) {
            case "override", "underride" -> rule.set("conditions", validConditions(body.get("conditions")));
            case "content" -> {
                JsonNode pattern = body.get("pattern");
                if (pattern == null || !pattern.isTextual()) {
                    throw MatrixException.invalidParam("Content rules need a pattern");
                }
                rule.set("pattern", pattern);
            }
            case "room" -> MatrixIds.requireRoomId(ruleId);
            case "sender" -> MatrixIds.parseUserId(ruleId);
            default -> throw new IllegalStateException(kind);
        }
        State state = load(domain, userId);
        ArrayNode rules = state.user(kind);
        int existing = indexOf(rules, ruleId);
        if (before == null && after == null && existing >= 0) {
            rules.set(existing, rule);
        } else {
            if (existing >= 0) {
                rules.remove(existing);
            }
            int position = 0;
            if (before != null || after != null) {
                String anchor = before != null ? before : after;
                int anchorIndex = indexOf(rules, anchor);
                if (anchorIndex < 0) {
                    throw MatrixException.notFound("before/after rule not found: " + anchor);
                }
                position = before != null ? anchorIndex : anchorIndex + 1;
            }
            rules.insert(position, rule);
        }
        save(domain, userId, state);
    }

    /** Deletes a user-defined rule; 404 if unknown, 400 for server-default rules. */
    public void delete(Domain domain, String userId, String kind, String ruleId) {
        requireKind(kind);
        if (ruleId.startsWith(".")) {
            if (rule(domain, userId, kind, ruleId).isPresent()) {
                throw MatrixException.invalidParam("Server-default rules cannot be deleted");
            }
            throw MatrixException.notFound("Unknown push rule");
        }
        State state = load(domain, userId);
        int index = indexOf(state.user(kind), ruleId);
        if (index < 0) {
            throw MatrixException.notFound("Unknown push rule");
        }
        state.user(kind).remove(index);
        save(domain, userId, state);
    }

    public void setEnabled(Domain domain, String userId, String kind, String ruleId, boolean enabled) {
        modify(domain, userId, kind, ruleId, "enabled", json.getNodeFactory().booleanNode(enabled));
    }

    public void setActions(Domain domain, String userId, String kind, String ruleId, JsonNode actions) {
        modify(domain, userId, kind, ruleId, "actions", validActions(actions));
    }

    private void modify(Domain domain, String userId, String kind, String ruleId, String field, JsonNode value) {
        requireKind(kind);
        State state = load(domain, userId);
        if (ruleId.startsWith(".")) {
            if (rule(domain, userId, kind, ruleId).isEmpty()) {
                throw MatrixException.notFound("Unknown push rule");
            }
            ObjectNode changes = state.defaults().has(kind + "/" + ruleId) ? (ObjectNode) state.defaults().get(kind + "/" + ruleId)
                    : state.defaults().putObject(kind + "/" + ruleId);
            changes.set(field, value);
        } else {
            int index = indexOf(state.user(kind), ruleId);
            if (index < 0) {
                throw MatrixException.notFound("Unknown push rule");
            }
            ((ObjectNode) state.user(kind).get(index)).set(field, value);
        }
        save(domain, userId, state);
    }

    private ObjectNode applyDefaultChanges(State state, String kind, ObjectNode rule) {
        ObjectNode copy = rule.deepCopy();
        JsonNode changes = state.defaults().get(kind + "/" + rule.path("rule_id").asText());
        if (changes != null) {
            changes.properties().forEach(e -> copy.set(e.getKey(), e.getValue()));
        }
        return copy;
    }

    private ArrayNode validActions(JsonNode actions) {
        if (actions == null || !actions.isArray()) {
            throw MatrixException.invalidParam("actions must be an array");
        }
        for (JsonNode action : actions) {
            boolean ok = (action.isTextual() && ACTION_STRINGS.contains(action.asText()))
                    || (action.isObject() && action.path("set_tweak").isTextual());
            if (!ok) {
                throw MatrixException.invalidParam("Invalid action: " + action);
            }
        }
        return (ArrayNode) actions.deepCopy();
    }

    private ArrayNode validConditions(JsonNode conditions) {
        if (conditions == null) {
            return json.createArrayNode();
        }
        if (!conditions.isArray()) {
            throw MatrixException.invalidParam("conditions must be an array");
        }
        for (JsonNode condition : conditions) {
            if (!condition.isObject() || !condition.path("kind").isTextual()) {
                throw MatrixException.invalidParam("Every condition needs a kind");
            }
        }
        return (ArrayNode) conditions.deepCopy();
    }

    private static void requireKind(String kind) {
        if (!KINDS.contains(kind)) {
            throw MatrixException.invalidParam("Unknown push rule kind: " + kind);
        }
    }

    private static int indexOf(ArrayNode rules, String ruleId) {
        for (int i = 0; i < rules.size(); i++) {
            if (ruleId.equals(rules.get(i).path("rule_id").asText())) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode defaults(String userId) {
        return DefaultPushRules.forUser(userId);
    }

    /** The stored per-user state: {@code user.<kind>} rule arrays and {@code defaults.<kind>/<id>} changes. */
    private record State(ObjectNode root) {
        ArrayNode user(String kind) {
            ObjectNode user = root.has("user") ? (ObjectNode) root.get("user") : root.putObject("user");
            return user.has(kind) ? (ArrayNode) user.get(kind) : user.putArray(kind);
        }

        ObjectNode defaults() {
            return root.has("defaults") ? (ObjectNode) root.get("defaults") : root.putObject("defaults");
        }
    }

    private State load(Domain domain, String userId) {
        String stored = repository.find(domain.database(), userId);
        return new State(stored == null ? json.createObjectNode() : (ObjectNode) read(stored));
    }

    private void save(Domain domain, String userId, State state) {
        try {
            repository.save(domain.database(), userId, json.writeValueAsString(state.root()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode content = json.createObjectNode();
        content.set("global", ruleset(domain, userId));
        accountData.put(domain, userId, null, "m.push_rules", content);
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored push rules are not JSON", e);
        }
    }
}

package de.tim.homeserver.pushrules;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The outcome of push rule evaluation for one recipient.
 *
 * @param ruleId    the matching rule (null if none matched)
 * @param actions   that rule's actions as given
 * @param notifies  whether the event notifies (action {@code notify})
 * @param highlight the {@code highlight} tweak ({@code true} when given without value)
 * @param tweaks    all {@code set_tweak} values ({@code highlight} included when set)
 */
public record PushActions(String ruleId, ArrayNode actions, boolean notifies, boolean highlight, Map<String, Object> tweaks) {

    public static final PushActions NONE = new PushActions(null, null, false, false, Map.of());
}

package de.tim.homeserver.pushrules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The spec's server-default rules (v1.11, {@code default-rules.json}) filled in for one user. */
public final class DefaultPushRules {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE;

    static {
        try (InputStream in = DefaultPushRules.class.getResourceAsStream("/de/tim/homeserver/pushrules/default-rules.json")) {
            TEMPLATE = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private DefaultPushRules() {
    }

    /** A fresh copy of the default ruleset of {@code userId} (kinds as arrays; {@code room}/{@code sender} absent). */
    public static ObjectNode forUser(String userId) {
        String localpart = userId.substring(1, userId.indexOf(':'));
        String filled = TEMPLATE.replace("[the user's Matrix ID]", jsonEscape(userId))
                .replace("[the local part of the user's Matrix ID]", jsonEscape(localpart));
        try {
            return (ObjectNode) JSON.readTree(filled);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("default push rules are not JSON", e);
        }
    }

    private static String jsonEscape(String s) {
        String quoted;
        try {
            quoted = JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return quoted.substring(1, quoted.length() - 1);
    }
}

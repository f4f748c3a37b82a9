package de.tim.gateway.contactlist;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.id.UserId;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;

/** Reads and writes the {@code Contact} and {@code Contacts} objects of TiMessengerContactManagement.yaml. */
final class ContactJson {

    private ContactJson() {
    }

    /** Parses a {@code Contact} request body for {@code owner}; duplicate keys and wrong types are refused. */
    static ContactSetting read(String body, UserId owner) {
        ObjectNode node;
        try {
            node = StrictJson.parseObject(body == null ? "" : body);
        } catch (InvalidJsonException e) {
            throw ContactManagementException.badRequest("The body is not a valid JSON object: " + e.getMessage());
        }
        String displayName = text(node, "displayName");
        String mxid = text(node, "mxid");
        UserId contact;
        try {
            contact = UserId.parse(mxid);
        } catch (IllegalArgumentException e) {
            throw ContactManagementException.badRequest("mxid is not a Matrix user id");
        }
        JsonNode invite = node.get("inviteSettings");
        if (invite == null || !invite.isObject()) {
            throw ContactManagementException.badRequest("inviteSettings (object) is required");
        }
        long start = epochSeconds(invite, "start");
        Long end = invite.has("end") && !invite.get("end").isNull() ? epochSeconds(invite, "end") : null;
        if (end != null && end < start) {
            throw ContactManagementException.badRequest("inviteSettings.end lies before inviteSettings.start");
        }
        if (contact.equals(owner)) {
            throw ContactManagementException.badRequest("A contact setting for oneself is not possible");
        }
        return new ContactSetting(owner, contact, displayName, start, end);
    }

    static ObjectNode write(ContactSetting setting) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("displayName", setting.displayName());
        node.put("mxid", setting.contact().value());
        ObjectNode invite = node.putObject("inviteSettings");
        invite.put("start", setting.start());
        if (setting.end() != null) {
            invite.put("end", setting.end());
        }
        return node;
    }

    static ObjectNode writeAll(List<ContactSetting> settings) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        settings.forEach(s -> node.withArray("contacts").add(write(s)));
        if (settings.isEmpty()) {
            node.putArray("contacts");
        }
        return node;
    }

    private static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw ContactManagementException.badRequest(field + " (non-empty string) is required");
        }
        return value.asText();
    }

    private static long epochSeconds(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw ContactManagementException.badRequest("inviteSettings." + field + " must be an integer (Unix seconds)");
        }
        long seconds = value.asLong();
        if (seconds < 0) {
            throw ContactManagementException.badRequest("inviteSettings." + field + " must not be negative");
        }
        return seconds;
    }
}

package de.tim.homeserver.room;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A {@code RoomEventFilter}/{@code StateFilter} of the filtering spec: {@code types},
 * {@code not_types}, {@code senders}, {@code not_senders} ({@code *} wildcards in types),
 * {@code contains_url}, {@code limit}, {@code lazy_load_members}, {@code include_redundant_members},
 * {@code unread_thread_notifications}, {@code rooms}/{@code not_rooms}. Validated shapes are assumed (see the filter capability).
 */
public final class EventFilter {

    public static final EventFilter NONE = new EventFilter(MissingNode.getInstance());

    private final List<Pattern> types;
    private final List<Pattern> notTypes;
    private final List<String> senders;
    private final List<String> notSenders;
    private final List<String> rooms;
    private final List<String> notRooms;
    private final Boolean containsUrl;
    private final Integer limit;
    private final boolean lazyLoadMembers;
    private final boolean includeRedundantMembers;
    private final boolean unreadThreadNotifications;

    public EventFilter(JsonNode filter) {
        JsonNode f = filter == null ? MissingNode.getInstance() : filter;
        types = f.has("types") ? patterns(f.get("types")) : null;
        notTypes = patterns(f.path("not_types"));
        senders = f.has("senders") ? strings(f.get("senders")) : null;
        notSenders = strings(f.path("not_senders"));
        rooms = f.has("rooms") ? strings(f.get("rooms")) : null;
        notRooms = strings(f.path("not_rooms"));
        containsUrl = f.path("contains_url").isBoolean() ? f.get("contains_url").booleanValue() : null;
        limit = f.path("limit").isIntegralNumber() ? f.get("limit").intValue() : null;
        lazyLoadMembers = f.path("lazy_load_members").asBoolean(false);
        includeRedundantMembers = f.path("include_redundant_members").asBoolean(false);
        unreadThreadNotifications = f.path("unread_thread_notifications").asBoolean(false);
    }

    public boolean matches(StoredEvent event) {
        return matches(event.type(), event.sender(), event.pdu().content());
    }

    public boolean matches(String type, String sender, JsonNode content) {
        if (types != null && types.stream().noneMatch(p -> p.matcher(type).matches())) {
            return false;
        }
        if (notTypes.stream().anyMatch(p -> p.matcher(type).matches())) {
            return false;
        }
        if (senders != null && !senders.contains(sender)) {
            return false;
        }
        if (notSenders.contains(sender)) {
            return false;
        }
        if (containsUrl != null) {
            boolean has = content.path("url").isTextual();
            return has == containsUrl;
        }
        return true;
    }

    public boolean allowsRoom(String roomId) {
        return (rooms == null || rooms.contains(roomId)) && !notRooms.contains(roomId);
    }

    public Integer limit() {
        return limit;
    }

    public boolean lazyLoadMembers() {
        return lazyLoadMembers;
    }

    /** Whether {@code /sync} gives notification counts per thread ({@code unread_thread_notifications}). */
    public boolean unreadThreadNotifications() {
        return unreadThreadNotifications;
    }

    public boolean includeRedundantMembers() {
        return includeRedundantMembers;
    }

    private static List<Pattern> patterns(JsonNode array) {
        List<Pattern> result = new ArrayList<>();
        for (String s : strings(array)) {
            List<String> parts = new ArrayList<>();
            for (String part : s.split("\\*", -1)) {
                parts.add(Pattern.quote(part));
            }
            result.add(Pattern.compile(String.join(".*", parts)));
        }
        return result;
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual()) {
                    result.add(n.textValue());
                }
            });
        }
        return result;
    }
}

package de.tim.homeserver.media;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code mxc://} URIs an event's content references: every string field named {@code url},
 * {@code avatar_url} or {@code thumbnail_url} at any depth, which covers {@code content.url},
 * {@code content.file.url}, {@code content.info.thumbnail_url}, {@code content.info.thumbnail_file.url},
 * avatars of state events and the same inside {@code m.new_content} of edits. Free text (a {@code body}
 * quoting a URI) is no reference.
 */
final class MediaUris {

    private static final Set<String> FIELDS = Set.of("url", "avatar_url", "thumbnail_url");
    private static final Pattern MXC = Pattern.compile("mxc://([^/]{1,255})/([A-Za-z0-9_-]{1,255})");
    private static final int MAX_DEPTH = 16;

    /** Server name and media id of one reference. */
    record MxcUri(String serverName, String mediaId) {

        static MxcUri parse(String uri) {
            if (uri == null) {
                return null;
            }
            Matcher m = MXC.matcher(uri);
            return m.matches() ? new MxcUri(m.group(1), m.group(2)) : null;
        }

        String uri() {
            return "mxc://" + serverName + "/" + mediaId;
        }
    }

    private MediaUris() {
    }

    static Set<MxcUri> referencedBy(JsonNode content) {
        Set<MxcUri> result = new LinkedHashSet<>();
        collect(content, result, 0);
        return result;
    }

    private static void collect(JsonNode node, Set<MxcUri> result, int depth) {
        if (node == null || depth > MAX_DEPTH) {
            return;
        }
        if (node.isArray()) {
            node.forEach(child -> collect(child, result, depth + 1));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            if (value.isTextual() && FIELDS.contains(field.getKey())) {
                MxcUri uri = MxcUri.parse(value.textValue());
                if (uri != null) {
                    result.add(uri);
                }
            } else if (value.isContainerNode()) {
                collect(value, result, depth + 1);
            }
        }
    }
}

package de.tim.matrix.json;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A dot-separated property path (appendix "Dot-separated property paths"): {@code .} separates names,
 * {@code \.} and {@code \\} stand for a literal dot and backslash, other escapes stay as they are. Used by push rule
 * conditions and by filters' {@code event_fields}.
 */
public final class PropertyPath {

    private PropertyPath() {
    }

    public static List<String> parse(String path) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length() && (path.charAt(i + 1) == '.' || path.charAt(i + 1) == '\\')) {
                current.append(path.charAt(++i));
            } else if (c == '.') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /** The value at the path, or null when any step is absent or not an object. */
    public static JsonNode lookup(JsonNode root, String path) {
        JsonNode node = root;
        for (String name : parse(path)) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(name);
        }
        return node;
    }
}

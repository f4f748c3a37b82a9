package de.tim.gateway.route;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Matrix endpoint the gateway offers: a method and a path template whose {@code {name}} parts match
 * exactly one segment.
 *
 * @param method    HTTP method
 * @param template  template segments, e.g. {@code [_matrix, client, v3, rooms, {roomId}, invite]}
 * @param operation the spec's operation id, e.g. {@code inviteUser}
 */
public record MatrixEndpoint(String method, List<String> template, String operation) {

    public MatrixEndpoint {
        template = List.copyOf(template);
    }

    /** The path parameters when {@code path} fits the template, else empty. */
    Optional<Map<String, String>> match(List<String> path) {
        if (path.size() != template.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String expected = template.get(i);
            String actual = path.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                String name = expected.substring(1, expected.length() - 1);
                if (actual.isEmpty() && !(name.equals("stateKey") && i == template.size() - 1)) {
                    return Optional.empty();
                }
                params.put(name, actual);
            } else if (!expected.equals(actual)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }
}

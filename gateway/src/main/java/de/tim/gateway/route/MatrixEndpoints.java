package de.tim.gateway.route;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allow-list of Matrix endpoints one listener of the gateway offers, read from a resource listing
 * {@code METHOD PATH OPERATION} lines. Client-Server paths under {@code v3} are also offered under the
 * configured alias versions (e.g. {@code r0}); any other version is unknown.
 */
public final class MatrixEndpoints {

    /** Outcome of matching a request against the allow-list. */
    public sealed interface Match {
    }

    /** The request names an offered endpoint. */
    public record Found(MatrixEndpoint endpoint, Map<String, String> params) implements Match {
    }

    /** The path is offered, but not with this method. */
    public record WrongMethod() implements Match {
    }

    /** The path is not offered. */
    public record Unknown() implements Match {
    }

    /** Endpoints by number of path segments: a request is only compared with templates of its length. */
    private final Map<Integer, List<MatrixEndpoint>> bySegments;

    private MatrixEndpoints(List<MatrixEndpoint> endpoints) {
        this.bySegments = endpoints.stream().collect(java.util.stream.Collectors.groupingBy(
                e -> e.template().size(), java.util.stream.Collectors.toUnmodifiableList()));
    }

    public static MatrixEndpoints load(String resource, Set<String> v3Aliases) {
        List<MatrixEndpoint> endpoints = new ArrayList<>();
        try (InputStream in = MatrixEndpoints.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing endpoint list " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                if (parts.length != 3) {
                    throw new IllegalStateException("bad endpoint line in " + resource + ": " + line);
                }
                List<String> template = Arrays.asList(parts[1].substring(1).split("/", -1));
                endpoints.add(new MatrixEndpoint(parts[0], template, parts[2]));
                if (template.size() > 2 && template.get(0).equals("_matrix") && template.get(1).equals("client")
                        && template.get(2).equals("v3")) {
                    for (String alias : v3Aliases) {
                        List<String> aliased = new ArrayList<>(template);
                        aliased.set(2, alias);
                        endpoints.add(new MatrixEndpoint(parts[0], aliased, parts[2]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new MatrixEndpoints(endpoints);
    }

    public Match match(String method, RequestPath path) {
        boolean pathKnown = false;
        for (MatrixEndpoint endpoint : bySegments.getOrDefault(path.segments().size(), List.of())) {
            Optional<Map<String, String>> params = endpoint.match(path.segments());
            if (params.isPresent()) {
                if (endpoint.method().equals(method)) {
                    return new Found(endpoint, params.get());
                }
                pathKnown = true;
            }
        }
        return pathKnown ? new WrongMethod() : new Unknown();
    }
}

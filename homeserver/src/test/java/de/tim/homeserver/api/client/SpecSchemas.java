package de.tim.homeserver.api.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Response schemas of the Matrix spec's OpenAPI files (copied to {@code src/test/resources/matrix-spec},
 * see its README) with every {@code $ref} inlined, validated with JSON Schema 2020-12 (OpenAPI 3.1).
 */
public final class SpecSchemas {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String ROOT = "matrix-spec/";
    private static final Set<String> DROPPED = Set.of("example", "examples", "x-addedInMatrixVersion", "x-changedInMatrixVersion");

    private SpecSchemas() {
    }

    /** Validation messages of {@code body} against the 200 response of {@code method path} in {@code file}. */
    public static Set<ValidationMessage> validate(String file, String path, String method, JsonNode body) {
        JsonNode api = load(ROOT + "api/client-server/" + file);
        JsonNode schema = api.path("paths").path(path).path(method).path("responses").path("200").path("content")
                .path("application/json").path("schema");
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no 200 schema for " + method + " " + path + " in " + file);
        }
        JsonNode inlined = inline(schema, ROOT + "api/client-server/" + file, api, 0);
        JsonSchema compiled = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(inlined);
        return compiled.validate(body);
    }

    private static JsonNode inline(JsonNode node, String file, JsonNode document, int depth) {
        if (depth > 40) {
            throw new IllegalStateException("$ref nesting too deep in " + file);
        }
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.textValue();
                String targetFile = file;
                JsonNode targetDoc = document;
                String fragment = null;
                int hash = target.indexOf('#');
                String filePart = hash < 0 ? target : target.substring(0, hash);
                if (hash >= 0) {
                    fragment = target.substring(hash + 1);
                }
                if (!filePart.isEmpty()) {
                    targetFile = URI.create(file).resolve(filePart).toString();
                    targetDoc = load(targetFile);
                }
                JsonNode resolved = fragment == null || fragment.isEmpty() ? targetDoc : targetDoc.at(fragment);
                ObjectNode merged = (ObjectNode) inline(resolved, targetFile, targetDoc, depth + 1).deepCopy();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getKey().equals("$ref") && !DROPPED.contains(e.getKey())) {
                        merged.set(e.getKey(), inline(e.getValue(), file, document, depth + 1));
                    }
                }
                return merged;
            }
            ObjectNode copy = YAML.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!DROPPED.contains(e.getKey())) {
                    copy.set(e.getKey(), inline(e.getValue(), file, document, depth + 1));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = YAML.createArrayNode();
            node.forEach(n -> copy.add(inline(n, file, document, depth + 1)));
            return copy;
        }
        return node;
    }

    private static JsonNode load(String resource) {
        try (InputStream in = SpecSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing spec file " + resource);
            }
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

package de.tim.matrix.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A strict JSON parser. Every mode refuses duplicate object keys (two parsers reading different
 * values from one document is a classic filter bypass), unpaired surrogates and trailing content.
 * {@link Mode#CANONICAL_NUMBERS} additionally refuses any number canonical JSON cannot carry:
 * fractions, exponents, {@code -0} and integers outside {@code [-(2^53)+1, 2^53-1]} — use it for PDUs.
 */
public final class StrictJson {

    /** How numbers are treated. */
    public enum Mode {
        /** Any RFC 8259 number is accepted (floats stay floats). */
        ANY_NUMBERS,
        /** Only integers canonical JSON can encode are accepted. */
        CANONICAL_NUMBERS
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private StrictJson() {
    }

    /** Parses with {@link Mode#CANONICAL_NUMBERS}. */
    public static JsonNode parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8), Mode.CANONICAL_NUMBERS);
    }

    /** Parses UTF-8 JSON with {@link Mode#CANONICAL_NUMBERS}. */
    public static JsonNode parse(byte[] json) {
        return parse(json, Mode.CANONICAL_NUMBERS);
    }

    /** Parses a JSON object with {@link Mode#CANONICAL_NUMBERS}; anything but an object is refused. */
    public static ObjectNode parseObject(String json) {
        JsonNode node = parse(json);
        if (!node.isObject()) {
            throw new InvalidJsonException("Expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Parses UTF-8 JSON text in the given mode. */
    public static JsonNode parse(byte[] json, Mode mode) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidJsonException("Empty JSON document");
            }
            JsonNode root = read(parser, first, mode);
            if (parser.nextToken() != null) {
                throw new InvalidJsonException("Trailing content after the JSON value");
            }
            return root;
        } catch (JsonParseException e) {
            throw new InvalidJsonException("Invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidJsonException("Unreadable JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(JsonParser p, JsonToken token, Mode mode) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    checkString(name);
                    object.set(name, read(p, p.nextToken(), mode));
                }
                expectEnd(t, JsonToken.END_OBJECT);
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    array.add(read(p, t, mode));
                }
                expectEnd(t, JsonToken.END_ARRAY);
                return array;
            }
            case VALUE_STRING -> {
                String text = p.getText();
                checkString(text);
                return NODES.textNode(text);
            }
            case VALUE_NUMBER_INT -> {
                return integer(p, mode);
            }
            case VALUE_NUMBER_FLOAT -> {
                if (mode == Mode.CANONICAL_NUMBERS) {
                    throw new InvalidJsonException("Only integers are allowed, got " + p.getText());
                }
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new InvalidJsonException("Unexpected JSON token " + token);
        }
    }

    private static JsonNode integer(JsonParser p, Mode mode) throws IOException {
        BigInteger value = p.getBigIntegerValue();
        if (mode == Mode.CANONICAL_NUMBERS) {
            if ("-0".equals(p.getText())) {
                throw new InvalidJsonException("Negative zero is not allowed");
            }
            if (value.compareTo(BigInteger.valueOf(CanonicalJson.MAX_SAFE_INTEGER)) > 0
                    || value.compareTo(BigInteger.valueOf(CanonicalJson.MIN_SAFE_INTEGER)) < 0) {
                throw new InvalidJsonException("Integer out of range [-(2^53)+1, 2^53-1]: " + value);
            }
        }
        return value.bitLength() < 64 ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    private static void expectEnd(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new InvalidJsonException("Unexpected end of JSON, expected " + expected);
        }
    }

    private static void checkString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidJsonException("String contains an unpaired UTF-16 surrogate");
            }
        }
    }
}

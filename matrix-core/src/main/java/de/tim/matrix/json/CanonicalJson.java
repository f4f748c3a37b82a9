package de.tim.matrix.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON exactly as the appendix defines it: the shortest UTF-8 encoding, object keys sorted
 * by Unicode code point, no insignificant whitespace, only the escapes the grammar requires, and
 * numbers only as integers in {@code [-(2^53)+1, 2^53-1]}. Written by hand on purpose: RFC 8785
 * (JCS) differs (UTF-16 key order, float formatting).
 */
public final class CanonicalJson {

    /** The largest integer canonical JSON allows, {@code 2^53 - 1}. */
    public static final long MAX_SAFE_INTEGER = 9007199254740991L;
    /** The smallest integer canonical JSON allows, {@code -(2^53) + 1}. */
    public static final long MIN_SAFE_INTEGER = -9007199254740991L;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Orders strings by Unicode code point (which is also UTF-8 byte order), not by UTF-16 unit. */
    public static final Comparator<String> CODEPOINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private CanonicalJson() {
    }

    /** Encodes a JSON tree as canonical UTF-8 bytes. */
    public static byte[] encode(JsonNode value) {
        return encodeToString(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes any Jackson-convertible value (maps, lists, records) as canonical UTF-8 bytes. */
    public static byte[] encodeValue(Object value) {
        return encode(value instanceof JsonNode node ? node : MAPPER.valueToTree(value));
    }

    /** Encodes a JSON tree as a canonical JSON string. */
    public static String encodeToString(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isBoolean()) {
            out.append(node.booleanValue());
        } else if (node.isTextual()) {
            writeString(node.textValue(), out);
        } else if (node.isNumber()) {
            out.append(integerValue(node));
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            fields.sort(Map.Entry.comparingByKey(CODEPOINT_ORDER));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> field : fields) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(field.getKey(), out);
                out.append(':');
                write(field.getValue(), out);
            }
            out.append('}');
        } else {
            throw new InvalidJsonException("Canonical JSON cannot encode a " + node.getNodeType() + " node");
        }
    }

    /**
     * The integer a number node stands for. Integral values written as floats (e.g. {@code 1e10},
     * {@code -0}) are accepted as the appendix's example shows; fractions and out-of-range values are not.
     */
    static long integerValue(JsonNode node) {
        BigInteger integer;
        if (node.isIntegralNumber()) {
            integer = node.bigIntegerValue();
        } else {
            BigDecimal decimal = node.isBigDecimal() ? node.decimalValue() : toDecimal(node.doubleValue());
            try {
                integer = decimal.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new InvalidJsonException("Canonical JSON does not allow non-integer numbers: " + node.asText());
            }
        }
        if (integer.compareTo(BigInteger.valueOf(MAX_SAFE_INTEGER)) > 0
                || integer.compareTo(BigInteger.valueOf(MIN_SAFE_INTEGER)) < 0) {
            throw new InvalidJsonException("Integer out of canonical JSON range [-(2^53)+1, 2^53-1]: " + integer);
        }
        return integer.longValue();
    }

    private static BigDecimal toDecimal(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidJsonException("Canonical JSON does not allow NaN or infinity");
        }
        return new BigDecimal(d);
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            throw new InvalidJsonException("String contains an unpaired UTF-16 surrogate");
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

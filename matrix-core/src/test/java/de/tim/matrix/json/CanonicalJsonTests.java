package de.tim.matrix.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTests {

    private static final ObjectMapper LENIENT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The examples of the appendix section "Canonical JSON". */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "{}|{}",
            "{ \"one\": 1, \"two\": \"Two\" }|{\"one\":1,\"two\":\"Two\"}",
            "{ \"b\": \"2\", \"a\": \"1\" }|{\"a\":\"1\",\"b\":\"2\"}",
            "{\"b\":\"2\",\"a\":\"1\"}|{\"a\":\"1\",\"b\":\"2\"}",
            "{ \"auth\": { \"success\": true, \"mxid\": \"@john.doe:example.com\", \"profile\": { \"display_name\": \"John Doe\", \"three_pids\": [ { \"medium\": \"email\", \"address\": \"john.doe@example.org\" }, { \"medium\": \"msisdn\", \"address\": \"123456789\" } ] } } }"
                    + "|{\"auth\":{\"mxid\":\"@john.doe:example.com\",\"profile\":{\"display_name\":\"John Doe\",\"three_pids\":[{\"address\":\"john.doe@example.org\",\"medium\":\"email\"},{\"address\":\"123456789\",\"medium\":\"msisdn\"}]},\"success\":true}}",
            "{ \"a\": \"日本語\" }|{\"a\":\"日本語\"}",
            "{ \"本\": 2, \"日\": 1 }|{\"日\":1,\"本\":2}",
            "{ \"a\": \"\\u65E5\" }|{\"a\":\"日\"}",
            "{ \"a\": null }|{\"a\":null}",
            "{ \"a\": -0, \"b\": 1e10 }|{\"a\":0,\"b\":10000000000}"
    })
    void producesTheAppendixExamples(String input, String expected) throws Exception {
        JsonNode parsed = LENIENT.readTree(input);
        assertThat(CanonicalJson.encodeToString(parsed)).isEqualTo(expected);
        assertThat(CanonicalJson.encode(parsed)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void escapesOnlyWhatTheGrammarRequires() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("s", "q\" b\\ \b\f\n\r\t \u0001\u001f \u007f \u2028 /");
        assertThat(CanonicalJson.encodeToString(o))
                .isEqualTo("{\"s\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f \u007f \u2028 /\"}");
    }

    @Test
    void sortsKeysByCodepointNotUtf16() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("\uD83D\uDE00", 1); // U+1F600, UTF-16 starts with 0xD83D
        o.put("\uFB01", 2); // U+FB01 sorts before U+1F600 by code point, after it by UTF-16 unit
        assertThat(CanonicalJson.encodeToString(o)).isEqualTo("{\"\uFB01\":2,\"\uD83D\uDE00\":1}");
    }

    @Test
    void rejectsFloatsAndOutOfRangeIntegers() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("f", 1.5);
        assertThatThrownBy(() -> CanonicalJson.encode(o)).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("non-integer");
        o.removeAll().put("big", 9007199254740992L);
        assertThatThrownBy(() -> CanonicalJson.encode(o)).hasMessageContaining("range");
        o.removeAll().put("small", -9007199254740992L);
        assertThatThrownBy(() -> CanonicalJson.encode(o)).hasMessageContaining("range");
        o.removeAll().put("max", 9007199254740991L).put("min", -9007199254740991L);
        assertThat(CanonicalJson.encodeToString(o)).isEqualTo("{\"max\":9007199254740991,\"min\":-9007199254740991}");
    }

    @Test
    void rejectsUnpairedSurrogates() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("s", "\uD800x");
        assertThatThrownBy(() -> CanonicalJson.encode(o)).hasMessageContaining("surrogate");
    }

    @Test
    void encodesPlainJavaValues() {
        var value = new java.util.LinkedHashMap<String, Object>();
        value.put("b", java.util.List.of(1, "x", true));
        value.put("a", java.util.Map.of("z", 2L));
        assertThat(new String(CanonicalJson.encodeValue(value), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":{\"z\":2},\"b\":[1,\"x\",true]}");
    }
}

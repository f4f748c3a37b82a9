package de.tim.matrix.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTests {

    @Test
    void refusesDuplicateKeysAtAnyDepth() {
        assertThatThrownBy(() -> StrictJson.parse("{\"a\":1,\"a\":2}")).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("Duplicate");
        assertThatThrownBy(() -> StrictJson.parse("{\"x\":[{\"invite\":[],\"invite\":[\"@a:b\"]}]}"))
                .hasMessageContaining("Duplicate");
        byte[] json = "{\"a\":1,\"a\":2.5}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> StrictJson.parse(json, StrictJson.Mode.ANY_NUMBERS)).hasMessageContaining("Duplicate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1.0}", "{\"a\":1e3}", "{\"a\":-0}", "{\"a\":9007199254740992}",
            "{\"a\":-9007199254740992}", "{\"a\":NaN}", "{\"a\":01}", "{\"a\":1} x", "{\"a\":\"\\ud800\"}", ""})
    void refusesNonCanonicalNumbersAndGarbage(String json) {
        assertThatThrownBy(() -> StrictJson.parse(json)).isInstanceOf(InvalidJsonException.class);
    }

    @Test
    void acceptsFloatsOnlyInAnyNumbersMode() {
        byte[] json = "{\"a\":1.25}".getBytes(StandardCharsets.UTF_8);
        assertThat(StrictJson.parse(json, StrictJson.Mode.ANY_NUMBERS).get("a").decimalValue()).isEqualByComparingTo("1.25");
    }

    @Test
    void roundTripsThroughCanonicalJson() {
        String canonical = "{\"a\":[1,-9007199254740991,true,null,\"\\n\"],\"b\":{\"c\":\"日\"}}";
        assertThat(CanonicalJson.encodeToString(StrictJson.parse(canonical))).isEqualTo(canonical);
        assertThat(StrictJson.parseObject("{}").isEmpty()).isTrue();
        assertThatThrownBy(() -> StrictJson.parseObject("[]")).hasMessageContaining("object");
    }
}

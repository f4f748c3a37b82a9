package de.tim.homeserver.filter;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.matrix.error.MatrixException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterValidatorTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acceptsTheSpecExample() throws Exception {
        assertThatCode(() -> FilterValidator.validate(JSON.readTree("""
                {"room":{"state":{"types":["m.room.*"],"not_rooms":["!726s6s6q:example.com"]},
                 "timeline":{"limit":10,"types":["m.room.message"],"not_rooms":["!726s6s6q:example.com"],
                   "not_senders":["@spam:example.com"],"lazy_load_members":true},
                 "ephemeral":{"types":["m.receipt","m.typing"],"not_rooms":["!726s6s6q:example.com"],
                   "not_senders":["@spam:example.com"]},"include_leave":false},
                 "presence":{"types":["m.presence"],"not_senders":["@alice:example.com"]},
                 "event_format":"client","event_fields":["type","content","sender"]}
                """))).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "{\"event_format\":\"xml\"}", "{\"event_fields\":\"type\"}",
            "{\"room\":{\"rooms\":[1]}}", "{\"room\":{\"timeline\":{\"limit\":0}}}",
            "{\"room\":{\"timeline\":{\"lazy_load_members\":\"yes\"}}}", "{\"account_data\":{\"types\":\"x\"}}",
            "{\"room\":{\"include_leave\":1}}", "{\"room\":[]}"})
    void rejectsWrongTypes(String filter) throws Exception {
        var node = JSON.readTree(filter);
        assertThatThrownBy(() -> FilterValidator.validate(node)).isInstanceOf(MatrixException.class)
                .extracting("errcode").isEqualTo("M_BAD_JSON");
    }
}

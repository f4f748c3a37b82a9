package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.error.MatrixException;
import org.junit.jupiter.api.Test;

class EventFormatTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pathsSplitAtUnescapedDots() {
        assertThat(EventFormat.path("content.body")).containsExactly("content", "body");
        assertThat(EventFormat.path("content.m\\.relates_to")).containsExactly("content", "m.relates_to");
        assertThat(EventFormat.path("content.a\\\\.b")).containsExactly("content", "a\\", "b");
        assertThat(EventFormat.path("type")).containsExactly("type");
        assertThat(EventFormat.path("content.x\\y")).containsExactly("content", "x\\y");
    }

    @Test
    void projectionKeepsOnlyTheNamedFields() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree("""
                {"type":"m.room.message","sender":"@a:x","event_id":"$e",
                 "content":{"body":"hi","msgtype":"m.text","m.relates_to":{"rel_type":"m.thread"}},
                 "unsigned":{"age":5}}""");
        ObjectNode projected = EventFormat.project(event, List.of(EventFormat.path("type"), EventFormat.path("content.body"),
                EventFormat.path("content.m\\.relates_to.rel_type"), EventFormat.path("content.missing"),
                EventFormat.path("sender.nested")));
        assertThat(projected.toString()).isEqualTo(
                "{\"type\":\"m.room.message\",\"content\":{\"body\":\"hi\",\"m.relates_to\":{\"rel_type\":\"m.thread\"}}}");
    }

    @Test
    void invalidShapesAreBadJson() throws Exception {
        assertThatThrownBy(() -> EventFormat.of(JSON.readTree("{\"event_format\":\"xml\"}")))
                .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.errcode()).isEqualTo("M_BAD_JSON"));
        assertThatThrownBy(() -> EventFormat.of(JSON.readTree("{\"event_fields\":[1]}")))
                .isInstanceOf(MatrixException.class);
        assertThatThrownBy(() -> EventFormat.of(JSON.readTree("{\"event_fields\":\"type\"}")))
                .isInstanceOf(MatrixException.class);
        assertThat(EventFormat.of(JSON.readTree("{}"))).isSameAs(EventFormat.CLIENT);
        assertThat(EventFormat.of(null)).isSameAs(EventFormat.CLIENT);
    }
}

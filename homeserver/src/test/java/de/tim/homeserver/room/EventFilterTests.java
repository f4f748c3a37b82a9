package de.tim.homeserver.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import de.tim.matrix.error.MatrixException;
import org.junit.jupiter.api.Test;

class EventFilterTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EventFilter filter(String json) throws Exception {
        return new EventFilter(JSON.readTree(json));
    }

    @Test
    void typesWithWildcardsAndSenders() throws Exception {
        EventFilter f = filter("{\"types\":[\"m.room.*\",\"org.example.x\"],\"not_types\":[\"m.room.member\"],"
                + "\"senders\":[\"@a:x\",\"@b:x\"],\"not_senders\":[\"@b:x\"]}");
        var content = JsonNodeFactory.instance.objectNode();
        assertThat(f.matches("m.room.message", "@a:x", content)).isTrue();
        assertThat(f.matches("org.example.x", "@a:x", content)).isTrue();
        assertThat(f.matches("org.example.xy", "@a:x", content)).isFalse();
        assertThat(f.matches("m.room.member", "@a:x", content)).isFalse();
        assertThat(f.matches("m.room.message", "@b:x", content)).isFalse();
        assertThat(f.matches("m.room.message", "@c:x", content)).isFalse();
        assertThat(filter("{\"types\":[\"*\"]}").matches("anything", "@c:x", content)).isTrue();
        assertThat(filter("{\"types\":[]}").matches("anything", "@c:x", content)).isFalse();
        assertThat(filter("{\"types\":[\"a.*.c\"]}").matches("a.b.c", "@c:x", content)).isTrue();
        assertThat(filter("{\"types\":[\"m.room.(x)\"]}").matches("m.room.x", "@c:x", content)).isFalse();
    }

    @Test
    void containsUrlRoomsAndFlags() throws Exception {
        EventFilter f = filter("{\"contains_url\":true,\"rooms\":[\"!a:x\"],\"not_rooms\":[\"!b:x\"],\"limit\":3,"
                + "\"lazy_load_members\":true}");
        assertThat(f.matches("m.room.message", "@a:x", JSON.readTree("{\"url\":\"mxc://x/y\"}"))).isTrue();
        assertThat(f.matches("m.room.message", "@a:x", JSON.readTree("{\"body\":\"x\"}"))).isFalse();
        assertThat(f.allowsRoom("!a:x")).isTrue();
        assertThat(f.allowsRoom("!c:x")).isFalse();
        assertThat(f.limit()).isEqualTo(3);
        assertThat(f.lazyLoadMembers()).isTrue();
        assertThat(EventFilter.NONE.allowsRoom("!b:x")).isTrue();
    }

    @Test
    void syncTokensRoundTripAndTolerateMissingStreams() {
        SyncToken token = new SyncToken(1, 2, 3, 4, 5, 6, 7);
        assertThat(SyncToken.parse(token.format())).isEqualTo(token);
        assertThat(SyncToken.parse("s9_1")).isEqualTo(new SyncToken(9, 1, 0, 0, 0, 0, 0));
        for (String bad : new String[] {"9_1", "s", "sx_1", "s-1_0", "t5"}) {
            assertThatThrownBy(() -> SyncToken.parse(bad)).isInstanceOf(MatrixException.class);
        }
        assertThat(RoomReader.parseToken("t12")).isEqualTo(12);
        assertThat(RoomReader.parseToken(token.format())).isEqualTo(1);
    }
}

package de.tim.matrix.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierTests {

    @Test
    void parsesUserIdIntoParts() {
        UserId id = UserId.parse("@alice.b-1_=/+:example.org:8448");
        assertThat(id.localpart()).isEqualTo("alice.b-1_=/+");
        assertThat(id.domain().host()).isEqualTo("example.org");
        assertThat(id.domain().port()).hasValue(8448);
        assertThat(id.isStrict()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"@Alice:example.org", "@a!ce:example.org", "@a~b:example.org"})
    void historicalLocalpartsOnlyInLenientMode(String value) {
        assertThatThrownBy(() -> UserId.parse(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localpart");
        assertThat(UserId.parseHistorical(value).isStrict()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice:example.org", "@:example.org", "@alice", "@alice:", "@al ice:example.org",
            "@alïce:example.org", "@alice:exa_mple.org"})
    void rejectsMalformedUserIds(String value) {
        assertThatThrownBy(() -> UserId.parseHistorical(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enforces255ByteLimit() {
        String domain = ":example.org";
        String ok = "@" + "a".repeat(255 - 1 - domain.length()) + domain;
        assertThat(UserId.parse(ok).value()).hasSize(255);
        assertThatThrownBy(() -> UserId.parse("@a" + ok.substring(1))).hasMessageContaining("255");
        assertThatThrownBy(() -> RoomId.parse("!" + "x".repeat(250) + domain)).hasMessageContaining("255");
    }

    @Test
    void parsesRoomIdsAliasesAndEventIds() {
        assertThat(RoomId.parse("!abc:[::1]:8448").domain().port()).hasValue(8448);
        assertThat(RoomAlias.parse("#room:example.org").localpart()).isEqualTo("room");
        assertThatThrownBy(() -> RoomAlias.parse("!room:example.org")).hasMessageContaining("'#'");
        assertThat(EventId.parse("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg").isHashFormat()).isTrue();
        assertThat(EventId.parse("$0:domain").isHashFormat()).isFalse();
        assertThatThrownBy(() -> EventId.parseHashFormat("$0:domain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventId.parse("$")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deviceIdsAndGeneratedRoomIds() {
        assertThat(DeviceId.random().value()).matches("[A-Z]{10}");
        assertThatThrownBy(() -> DeviceId.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceId.parse("AB\nC")).hasMessageContaining("control");
        RoomId generated = RoomId.random(ServerName.parse("hs.example"));
        assertThat(generated.value()).matches("![A-Za-z]{18}:hs\\.example");
        assertThat(RoomId.random(ServerName.parse("hs.example"))).isNotEqualTo(generated);
    }
}

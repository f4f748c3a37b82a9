package de.tim.matrix.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerNameTests {

    @ParameterizedTest
    @ValueSource(strings = {"matrix.org", "matrix.org:8888", "1.2.3.4", "1.2.3.4:1234", "[1234:5678::abcd]",
            "[1234:5678::abcd]:5678", "localhost", "[::1]", "[::ffff:10.0.0.1]:8448", "a-b.example"})
    void acceptsTheAppendixExamples(String name) {
        assertThat(ServerName.parse(name).toString()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "exa_mple.org", "example.org:", "example.org:0", "example.org:65536",
            "example.org:123456", "[1234:5678::abcd", "[1234::5678::abcd]", "[12345::1]", "[::1]x",
            "256.1.1.1", "ex ample.org", "exämple.org", "[fe80::1%eth0]", "example.org:80:80"})
    void rejectsInvalidNames(String name) {
        assertThatThrownBy(() -> ServerName.parse(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exposesHostAndPort() {
        ServerName ipv6 = ServerName.parse("[1234:5678::abcd]:5678");
        assertThat(ipv6.host()).isEqualTo("[1234:5678::abcd]");
        assertThat(ipv6.port()).hasValue(5678);
        assertThat(ipv6.kind()).isEqualTo(ServerName.Kind.IPV6);
        assertThat(ServerName.parse("1.2.3.4").kind()).isEqualTo(ServerName.Kind.IPV4);
        assertThat(ServerName.parse("matrix.org").port()).isEmpty();
    }

    @Test
    void equalityIsCaseSensitiveButComparisonHostIsNormalised() {
        ServerName upper = ServerName.parse("MATRIX.ORG.");
        ServerName lower = ServerName.parse("matrix.org");
        assertThat(upper).isNotEqualTo(lower);
        assertThat(upper.hostForComparison()).isEqualTo(lower.hostForComparison()).isEqualTo("matrix.org");
        assertThat(upper.isCanonicalForm()).isFalse();
        assertThat(lower.isCanonicalForm()).isTrue();
        assertThat(ServerName.parse("a..b").isCanonicalForm()).isFalse();
        assertThat(ServerName.parse("-a.b").isCanonicalForm()).isFalse();
    }

    @Test
    void normalisesIpLiteralsForComparison() {
        ServerName a = ServerName.parse("[2001:DB8:0:0:0:0:0:1]:8448");
        ServerName b = ServerName.parse("[2001:db8::1]:8448");
        assertThat(a.hostForComparison()).isEqualTo("[2001:db8::1]");
        assertThat(a.sameHostAndPort(b)).isTrue();
        assertThat(a.isCanonicalForm()).isFalse();
        assertThat(b.isCanonicalForm()).isTrue();
        assertThat(a.sameHostAndPort(ServerName.parse("[2001:db8::1]"))).isFalse();
        assertThat(ServerName.parse("[::ffff:10.0.0.1]").hostForComparison()).isEqualTo("[::ffff:10.0.0.1]");
        assertThat(ServerName.parse("010.0.0.1").isCanonicalForm()).as("octal-looking octet").isFalse();
        assertThat(ServerName.parse("10.0.0.1").isCanonicalForm()).isTrue();
        assertThat(ServerName.parse("example.org:08448").isCanonicalForm()).isFalse();
        assertThat(ServerName.parse("example.org:08448").sameHostAndPort(ServerName.parse("example.org:8448"))).isTrue();
        assertThat(ServerName.parse("example.org:8448").isCanonicalForm()).isTrue();
        assertThat(ServerName.parse("Example.ORG.:443").sameHostAndPort(ServerName.parse("example.org:443"))).isTrue();
    }
}

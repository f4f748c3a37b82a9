package de.tim.matrix.acl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.StrictJson;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerAclTests {

    private static boolean allows(String content, String server) {
        return ServerAcl.allows(Optional.of(StrictJson.parse(content)), ServerName.parse(server));
    }

    @Test
    void globsMatchWholeStrings() {
        assertThat(Glob.of("*.example.org").matches("a.example.org")).isTrue();
        assertThat(Glob.of("*.example.org").matches("example.org")).isFalse();
        assertThat(Glob.of("h?.org").matches("hs.org")).isTrue();
        assertThat(Glob.of("h?.org").matches("h.org")).isFalse();
        assertThat(Glob.of("a.b").matches("axb")).as("dots are literal").isFalse();
        assertThat(Glob.of("A*").matches("abc")).isFalse();
        assertThat(Glob.ignoringCase("A*").matches("abc")).isTrue();
    }

    @Test
    void appliesTheSpecOrder() {
        String acl = "{\"allow\":[\"*\"],\"deny\":[\"evil.com\",\"*.evil.com\"],\"allow_ip_literals\":false}";
        assertThat(ServerAcl.allows(Optional.<JsonNode>empty(), ServerName.parse("1.2.3.4"))).as("no ACL").isTrue();
        assertThat(allows(acl, "good.org")).isTrue();
        assertThat(allows(acl, "evil.com:8448")).as("port ignored").isFalse();
        assertThat(allows(acl, "sub.evil.com")).isFalse();
        assertThat(allows(acl, "EVIL.COM.")).as("case and trailing dot").isFalse();
        assertThat(allows(acl, "1.2.3.4")).isFalse();
        assertThat(allows(acl, "[::1]:8448")).isFalse();
        assertThat(allows("{\"allow\":[\"*\"]}", "1.2.3.4")).as("ip literals default to allowed").isTrue();
        assertThat(allows("{\"deny\":[\"evil.com\"]}", "good.org")).as("no allow list denies all").isFalse();
        assertThat(allows("{\"allow\":[\"good.org\", 5]}", "good.org")).as("non-strings ignored").isTrue();
    }
}

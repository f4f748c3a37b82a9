package de.tim.matrix.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.id.ServerName;
import de.tim.matrix.json.StrictJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XMatrixAuthorizationTests {

    private static final ServerName ORIGIN = ServerName.parse("origin.example");
    private static final ServerName DEST = ServerName.parse("dest.example:8448");
    private static final SigningKey KEY = JsonSigningTests.KEY;

    @Test
    void signsAndVerifiesARequestWithBody() {
        JsonNode body = StrictJson.parse("{\"pdus\":[],\"edus\":[]}");
        XMatrixAuthorization auth = XMatrixAuthorization.sign(ORIGIN, DEST, "PUT", "/_matrix/federation/v1/send/1?x=y", body, KEY);
        String header = auth.headerValue();
        assertThat(header).startsWith("X-Matrix origin=\"origin.example\",destination=\"dest.example:8448\",key=\"ed25519:1\",sig=\"");

        XMatrixAuthorization parsed = XMatrixAuthorization.parse(header);
        assertThat(parsed).isEqualTo(auth);
        assertThat(parsed.verify(DEST, "PUT", "/_matrix/federation/v1/send/1?x=y", body, KEY.verifyKey())).isTrue();
        assertThat(parsed.verify(DEST, "PUT", "/_matrix/federation/v1/send/2?x=y", body, KEY.verifyKey())).isFalse();
        assertThat(parsed.verify(DEST, "POST", "/_matrix/federation/v1/send/1?x=y", body, KEY.verifyKey())).isFalse();
        assertThat(parsed.verify(DEST, "PUT", "/_matrix/federation/v1/send/1?x=y", null, KEY.verifyKey())).isFalse();
        assertThat(parsed.verify(ServerName.parse("evil.example"), "PUT", "/_matrix/federation/v1/send/1?x=y", body,
                KEY.verifyKey())).isFalse();
    }

    @Test
    void bodiesWithFloatsDoNotVerify() {
        JsonNode floats = StrictJson.parse("{\"a\":1.5}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                StrictJson.Mode.ANY_NUMBERS);
        XMatrixAuthorization auth = XMatrixAuthorization.sign(ORIGIN, DEST, "PUT", "/x", StrictJson.parse("{}"), KEY);
        assertThat(auth.verify(DEST, "PUT", "/x", floats, KEY.verifyKey())).isFalse();
    }

    @Test
    void signatureMatchesSigningTheRequestJson() {
        XMatrixAuthorization auth = XMatrixAuthorization.sign(ORIGIN, DEST, "GET", "/_matrix/key/v2/server", null, KEY);
        var json = XMatrixAuthorization.requestJson(ORIGIN, DEST, "GET", "/_matrix/key/v2/server", null);
        assertThat(JsonSigning.signatures(JsonSigning.sign(json, "origin.example", KEY), "origin.example"))
                .containsEntry("ed25519:1", auth.signature());
    }

    @Test
    void parsesTheLiberalFormsTheSpecAllows() {
        XMatrixAuthorization a = XMatrixAuthorization.parse(
                "x-matrix   ORIGIN=origin.example:8448 ,\tKey=\"ed25519:a\\\"b\" , sig=\"c2ln\",unknown=whatever");
        assertThat(a.origin()).isEqualTo(ServerName.parse("origin.example:8448"));
        assertThat(a.destination()).isEmpty();
        assertThat(a.keyId()).isEqualTo("ed25519:a\"b");
        assertThat(a.signature()).isEqualTo("c2ln");
        assertThat(a.destinationMatches(DEST)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Bearer abc",
            "X-Matrixorigin=\"a\",key=\"k\",sig=\"s\"",
            "X-Matrix origin=\"a\",key=\"k\"",
            "X-Matrix origin=\"a\",key=\"k\",sig=\"s",
            "X-Matrix origin=\"a\",origin=\"b\",key=\"k\",sig=\"s\"",
            "X-Matrix origin=\"a\";key=\"k\",sig=\"s\"",
            "X-Matrix origin=\"a\",key=\"k\",sig=ab/cd",
            "X-Matrix origin=\"a\",key=\"k\",sig=\"s\",",
            "X-Matrix origin=\"bad_name\",key=\"k\",sig=\"s\""})
    void refusesMalformedHeaders(String header) {
        assertThatThrownBy(() -> XMatrixAuthorization.parse(header)).isInstanceOf(IllegalArgumentException.class);
    }
}

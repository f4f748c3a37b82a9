package de.tim.matrix.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.matrix.json.StrictJson;
import org.junit.jupiter.api.Test;

class JsonSigningTests {

    /** The appendix's test key: SIGNING_KEY_SEED, key ID ed25519:1, server "domain". */
    static final SigningKey KEY = SigningKey.fromBase64Seed("1", "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1");

    @Test
    void unpaddedBase64MatchesTheAppendix() {
        String[][] cases = {{"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"},
                {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
        for (String[] c : cases) {
            assertThat(UnpaddedBase64.encode(c[0].getBytes())).isEqualTo(c[1]);
            assertThat(new String(UnpaddedBase64.decode(c[1]))).isEqualTo(c[0]);
        }
        assertThat(new String(UnpaddedBase64.decode("Zm8="))).isEqualTo("fo");
        assertThat(UnpaddedBase64.encodeUrlSafe(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("-_8");
    }

    @Test
    void signsAnEmptyObjectAsInTheAppendix() {
        ObjectNode signed = JsonSigning.sign(StrictJson.parseObject("{}"), "domain", KEY);
        assertThat(signed).isEqualTo(StrictJson.parseObject("""
                {"signatures":{"domain":{"ed25519:1":"K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"}}}"""));
    }

    @Test
    void signsAnObjectWithDataAsInTheAppendix() {
        ObjectNode signed = JsonSigning.sign(StrictJson.parseObject("{\"one\":1,\"two\":\"Two\"}"), "domain", KEY);
        assertThat(JsonSigning.signatures(signed, "domain")).containsEntry("ed25519:1",
                "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw");
        assertThat(JsonSigning.verify(signed, "domain", KEY.verifyKey())).isTrue();
    }

    @Test
    void verificationIgnoresUnsignedButNotContent() {
        ObjectNode signed = JsonSigning.sign(StrictJson.parseObject("{\"a\":1,\"unsigned\":{\"age\":5}}"), "domain", KEY);
        ObjectNode withOtherUnsigned = signed.deepCopy();
        withOtherUnsigned.putObject("unsigned").put("age", 99);
        assertThat(JsonSigning.verify(withOtherUnsigned, "domain", KEY.verifyKey())).isTrue();
        ObjectNode tampered = signed.deepCopy();
        tampered.put("a", 2);
        assertThat(JsonSigning.verify(tampered, "domain", KEY.verifyKey())).isFalse();
        assertThat(JsonSigning.verify(signed, "other", KEY.verifyKey())).isFalse();
        assertThat(JsonSigning.verify(signed, "domain", SigningKey.generate("1").verifyKey())).isFalse();
    }

    @Test
    void keepsExistingSignaturesOfOtherEntities() {
        ObjectNode once = JsonSigning.sign(StrictJson.parseObject("{\"x\":1}"), "a.example", KEY);
        SigningKey other = SigningKey.generate("2");
        ObjectNode twice = JsonSigning.sign(once, "b.example", other);
        assertThat(JsonSigning.verify(twice, "a.example", KEY.verifyKey())).isTrue();
        assertThat(JsonSigning.verify(twice, "b.example", other.verifyKey())).isTrue();
        assertThat(KEY.keyId()).isEqualTo("ed25519:1");
    }
}

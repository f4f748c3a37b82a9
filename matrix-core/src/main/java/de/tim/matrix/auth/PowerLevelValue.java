package de.tim.matrix.auth;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.json.CanonicalJson;
import java.util.Optional;

/**
 * Reads one power level value: a JSON integer, or in room versions before 10 also a string holding an
 * integer (fragment {@code v1-stringy-power-levels}: optional whitespace, sign and leading zeros).
 */
final class PowerLevelValue {

    private PowerLevelValue() {
    }

    /** The integer the node stands for in this room version, or empty if it is not a valid level. */
    static Optional<Long> read(JsonNode node, RoomVersion version) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber()) {
            return inRange(node.bigIntegerValue().bitLength() < 64 ? node.longValue() : Long.MAX_VALUE);
        }
        if (!version.integerPowerLevels() && node.isTextual()) {
            String s = node.textValue().strip();
            if (!s.matches("[+-]?[0-9]+")) {
                return Optional.empty();
            }
            String digits = s.replaceFirst("^[+-]", "").replaceFirst("^0+(?=.)", "");
            if (digits.length() > 16) {
                return Optional.empty();
            }
            long value = Long.parseLong(digits);
            return inRange(s.startsWith("-") ? -value : value);
        }
        return Optional.empty();
    }

    /** Whether the node is a valid level value in this room version. */
    static boolean isValid(JsonNode node, RoomVersion version) {
        return read(node, version).isPresent();
    }

    private static Optional<Long> inRange(long value) {
        return value > CanonicalJson.MAX_SAFE_INTEGER || value < CanonicalJson.MIN_SAFE_INTEGER
                ? Optional.empty() : Optional.of(value);
    }
}

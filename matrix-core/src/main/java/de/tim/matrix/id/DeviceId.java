package de.tim.matrix.id;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * A device ID. The spec treats it as an opaque string; we require 1 to 255 bytes without control
 * characters (it appears in key IDs such as {@code ed25519:DEVICEID} and in URLs).
 */
public record DeviceId(String value) {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    public DeviceId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("Device ID is empty");
        }
        Identifiers.checkLength(value, "Device ID");
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("Device ID contains a control character");
            }
        }
    }

    public static DeviceId parse(String value) {
        return new DeviceId(value);
    }

    /** A new random ID of ten upper-case letters, the style most servers use. */
    public static DeviceId random() {
        StringBuilder b = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return new DeviceId(b.toString());
    }

    @Override
    public String toString() {
        return value;
    }
}

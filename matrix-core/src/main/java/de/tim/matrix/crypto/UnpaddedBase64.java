package de.tim.matrix.crypto;

import java.util.Base64;

/**
 * Unpadded base64 (appendix "Unpadded Base64") in the standard alphabet and in the URL-safe alphabet
 * used by room-version-4+ event IDs. Decoding accepts input with or without padding, as the spec asks.
 */
public final class UnpaddedBase64 {

    private UnpaddedBase64() {
    }

    public static String encode(byte[] data) {
        return Base64.getEncoder().withoutPadding().encodeToString(data);
    }

    public static String encodeUrlSafe(byte[] data) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }

    /** Decodes standard-alphabet base64, padded or not; throws {@link IllegalArgumentException} on bad input. */
    public static byte[] decode(String base64) {
        if (base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0) {
            throw new IllegalArgumentException("Not standard base64 (URL-safe characters found)");
        }
        return Base64.getDecoder().decode(base64);
    }

    /** Decodes URL-safe base64, padded or not; throws {@link IllegalArgumentException} on bad input. */
    public static byte[] decodeUrlSafe(String base64) {
        if (base64.indexOf('+') >= 0 || base64.indexOf('/') >= 0) {
            throw new IllegalArgumentException("Not URL-safe base64 ('+' or '/' found)");
        }
        return Base64.getUrlDecoder().decode(base64);
    }
}

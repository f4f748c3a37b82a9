package de.tim.matrix.id;

import java.util.Objects;

/**
 * A Matrix user ID {@code @localpart:domain} (appendix "User Identifiers"). {@link #parse} accepts
 * the current grammar only (localpart of {@code a-z 0-9 . _ = - / +}) and is what local user
 * creation must use; {@link #parseHistorical} also accepts the historical localparts (every printable
 * ASCII character except ':') that servers MUST accept from remote events.
 */
public record UserId(String value, String localpart, ServerName domain) {

    public UserId {
        Objects.requireNonNull(value, "value");
    }

    /** Parses a user ID with a localpart from the current (strict) character set. */
    public static UserId parse(String value) {
        UserId id = parseHistorical(value);
        if (!isStrictLocalpart(id.localpart)) {
            throw new IllegalArgumentException("User ID localpart may only contain a-z, 0-9, '.', '_', '=', '-', '/', '+': "
                    + value);
        }
        return id;
    }

    /** Parses a user ID allowing the historical localpart character set ({@code %x21-39 / %x3B-7E}). */
    public static UserId parseHistorical(String value) {
        int colon = Identifiers.split(value, '@', "User ID");
        String localpart = value.substring(1, colon);
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("User ID localpart contains a non-printable or non-ASCII character: "
                        + value);
            }
        }
        return new UserId(value, localpart, Identifiers.domain(value, colon, "User ID"));
    }

    /** Builds {@code @localpart:domain}, checking the strict grammar. */
    public static UserId of(String localpart, ServerName domain) {
        return parse("@" + localpart + ":" + domain);
    }

    /** Whether {@code value} parses with {@link #parseHistorical}. */
    public static boolean isValid(String value) {
        try {
            parseHistorical(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the localpart uses only the current character set. */
    public boolean isStrict() {
        return isStrictLocalpart(localpart);
    }

    static boolean isStrictLocalpart(String localpart) {
        for (int i = 0; i < localpart.length(); i++) {
            char c = localpart.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '=' || c == '-' || c == '/' || c == '+';
            if (!ok) {
                return false;
            }
        }
        return !localpart.isEmpty();
    }

    @Override
    public String toString() {
        return value;
    }
}

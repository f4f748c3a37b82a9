package de.tim.matrix.crypto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses {@code X-Matrix <params>} per RFC 9110 section 11.4 as the S-S spec summarises it: the scheme
 * (case-insensitive), one or more spaces, then {@code name=value} pairs separated by commas with
 * optional spaces/tabs around them. Names are tokens, case-insensitive; values are tokens (colons
 * tolerated for old servers) or quoted strings with backslash escapes. Duplicate names are refused so
 * two components can never read different values from one header.
 */
final class XMatrixHeaderParser {

    private XMatrixHeaderParser() {
    }

    static Map<String, String> parse(String header) {
        if (header == null) {
            throw new IllegalArgumentException("No Authorization header");
        }
        String scheme = XMatrixAuthorization.SCHEME;
        if (header.length() <= scheme.length() || !header.regionMatches(true, 0, scheme, 0, scheme.length())
                || header.charAt(scheme.length()) != ' ') {
            throw new IllegalArgumentException("Authorization scheme is not X-Matrix");
        }
        int i = scheme.length();
        while (i < header.length() && header.charAt(i) == ' ') {
            i++;
        }
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            int nameStart = i;
            while (i < header.length() && isTokenChar(header.charAt(i))) {
                i++;
            }
            if (i == nameStart) {
                throw new IllegalArgumentException("Expected a parameter name at position " + i);
            }
            String name = XMatrixAuthorization.normalizeName(header.substring(nameStart, i));
            if (i >= header.length() || header.charAt(i) != '=') {
                throw new IllegalArgumentException("Expected '=' after parameter " + name);
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < header.length() && header.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < header.length()) {
                    char c = header.charAt(i++);
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\') {
                        if (i >= header.length()) {
                            break;
                        }
                        c = header.charAt(i++);
                    }
                    if (c < 0x20 && c != '\t' || c == 0x7F) {
                        throw new IllegalArgumentException("Control character in quoted value of " + name);
                    }
                    value.append(c);
                }
                if (!closed) {
                    throw new IllegalArgumentException("Unterminated quoted value of " + name);
                }
            } else {
                int valueStart = i;
                while (i < header.length() && (isTokenChar(header.charAt(i)) || header.charAt(i) == ':')) {
                    i++;
                }
                if (i == valueStart) {
                    throw new IllegalArgumentException("Empty or invalid unquoted value of " + name);
                }
                value.append(header, valueStart, i);
            }
            if (params.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("Duplicate parameter " + name);
            }
            i = skipWhitespace(header, i);
            if (i >= header.length()) {
                return params;
            }
            if (header.charAt(i) != ',') {
                throw new IllegalArgumentException("Expected ',' after parameter " + name);
            }
            i = skipWhitespace(header, i + 1);
        }
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** RFC 9110 {@code tchar}. */
    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}

package de.tim.matrix.id;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A Matrix server name ({@code hostname [":" port]}) per the appendix "Server Name": a DNS name, a
 * dotted-quad IPv4 literal or a bracketed IPv6 literal, optionally followed by a port.
 *
 * <p>Equality is exact and case-sensitive, as the spec demands ("{@code @user:matrix.org} is a
 * different person from {@code @user:MATRIX.ORG}"). DNS, however, resolves {@code MATRIX.ORG} and
 * {@code matrix.org.} to the same host, so a policy check (the Messenger-Proxy's federation list)
 * must compare {@link #hostForComparison()} and should refuse names that are not
 * {@link #isCanonicalForm() in canonical form}, otherwise a peer could evade a list entry by
 * spelling its name differently.
 */
public final class ServerName {

    private final String value;
    private final String host;
    private final int port;
    private final Kind kind;

    /** Which of the three hostname forms the server name uses. */
    public enum Kind { DNS, IPV4, IPV6 }

    private ServerName(String value, String host, int port, Kind kind) {
        this.value = value;
        this.host = host;
        this.port = port;
        this.kind = kind;
    }

    /** Parses a server name strictly per the appendix grammar; ports must lie in 1..65535. */
    public static ServerName parse(String value) {
        Objects.requireNonNull(value, "server name");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("Server name is empty");
        }
        String host;
        String portPart = null;
        Kind kind;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("IPv6 literal is not closed with ']': " + value);
            }
            host = value.substring(0, close + 1);
            String rest = value.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    throw new IllegalArgumentException("Unexpected characters after IPv6 literal: " + value);
                }
                portPart = rest.substring(1);
            }
            String literal = host.substring(1, host.length() - 1);
            if (literal.length() < 2 || literal.length() > 45 || !Ipv6Literal.isValid(literal)) {
                throw new IllegalArgumentException("Invalid IPv6 literal: " + host);
            }
            kind = Kind.IPV6;
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            portPart = colon < 0 ? null : value.substring(colon + 1);
            if (host.isEmpty() || host.length() > 255) {
                throw new IllegalArgumentException("Hostname must have 1 to 255 characters: " + value);
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || c == '-' || c == '.';
                if (!ok) {
                    throw new IllegalArgumentException("Invalid character '" + c + "' in hostname: " + value);
                }
            }
            if (host.matches("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")) {
                for (String octet : host.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        throw new IllegalArgumentException("IPv4 octet out of range: " + value);
                    }
                }
                kind = Kind.IPV4;
            } else {
                kind = Kind.DNS;
            }
        }
        int port = -1;
        if (portPart != null) {
            if (!portPart.matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("Port must be 1 to 5 digits: " + value);
            }
            port = Integer.parseInt(portPart);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("Port out of range 1..65535: " + value);
            }
        }
        return new ServerName(value, host, port, kind);
    }

    /** Whether {@code value} is a valid server name. */
    public static boolean isValid(String value) {
        try {
            parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The hostname part exactly as written (IPv6 literals include their brackets). */
    public String host() {
        return host;
    }

    /** The explicit port, if any. */
    public OptionalInt port() {
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The host as DNS sees it: lower-cased and without a trailing dot; IPv6 literals in their RFC 5952
     * form. Use this (together with {@link #port()}) when comparing a peer against an allow or deny list.
     */
    public String hostForComparison() {
        if (kind == Kind.IPV6) {
            return "[" + Ipv6Literal.canonical(host.substring(1, host.length() - 1)) + "]";
        }
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".") && h.length() > 1) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /**
     * Whether the name is written the way a well-behaved server writes it: lower-case, no trailing
     * dot, no empty or hyphen-edged DNS labels, no leading zeros in IPv4 octets (which some resolvers
     * read as octal), IPv6 in its RFC 5952 form, no leading zeros in the port. Everything else is legal per the grammar but is a
     * likely attempt to evade a name-based check.
     */
    public boolean isCanonicalForm() {
        if (!host.equals(hostForComparison()) || host.endsWith(".")) {
            return false;
        }
        if (port >= 0 && !value.endsWith(":" + port)) {
            return false;
        }
        if (kind == Kind.IPV4 && host.matches(".*(^|\\.)0[0-9].*")) {
            return false;
        }
        if (kind == Kind.DNS) {
            for (String label : host.split("\\.", -1)) {
                if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether both names reach the same host and port, ignoring case, trailing dots and IPv6 spelling. */
    public boolean sameHostAndPort(ServerName other) {
        return hostForComparison().equals(other.hostForComparison()) && port == other.port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerName other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The server name exactly as parsed. */
    @Override
    public String toString() {
        return value;
    }
}

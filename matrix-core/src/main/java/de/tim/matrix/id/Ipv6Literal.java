package de.tim.matrix.id;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Validates the text form of an IPv6 address (RFC 3513 section 2.2), without zone identifiers. */
final class Ipv6Literal {

    private Ipv6Literal() {
    }

    static boolean isValid(String s) {
        int groupsNeeded = 8;
        String body = s;
        int lastColon = s.lastIndexOf(':');
        if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
            String v4 = s.substring(lastColon + 1);
            if (!isIpv4(v4)) {
                return false;
            }
            body = s.substring(0, lastColon + 1) + "0:0";
        }
        int doubleColon = body.indexOf("::");
        if (doubleColon >= 0) {
            if (body.indexOf("::", doubleColon + 1) >= 0) {
                return false;
            }
            String left = body.substring(0, doubleColon);
            String right = body.substring(doubleColon + 2);
            int groups = countGroups(left) + countGroups(right);
            return groups >= 0 && countGroups(left) >= 0 && countGroups(right) >= 0 && groups <= groupsNeeded - 1;
        }
        return countGroups(body) == groupsNeeded;
    }

    /** The RFC 5952 text form of a valid literal (lower case, zeros compressed), via the JDK's parser. */
    static String canonical(String literal) {
        try {
            byte[] bytes = InetAddress.getByName("[" + literal + "]").getAddress();
            if (bytes.length == 4) {
                return "::ffff:" + InetAddress.getByAddress(bytes).getHostAddress();
            }
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
            }
            return format(groups);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Invalid IPv6 literal: " + literal, e);
        }
    }

    private static String format(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(groups[i]));
        }
        return b.toString();
    }

    /** Number of hex groups in a colon-separated list, or a negative number if malformed. */
    private static int countGroups(String part) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] groups = part.split(":", -1);
        for (String g : groups) {
            if (g.isEmpty() || g.length() > 4 || !g.matches("[0-9A-Fa-f]+")) {
                return -100;
            }
        }
        return groups.length;
    }

    private static boolean isIpv4(String s) {
        if (!s.matches("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")) {
            return false;
        }
        for (String octet : s.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}

package de.tim.matrix.id;

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

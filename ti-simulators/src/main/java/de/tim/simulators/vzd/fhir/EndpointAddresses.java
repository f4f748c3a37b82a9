package de.tim.simulators.vzd.fhir;

import java.util.Locale;

/**
 * Endpoint addresses of the directory. The VZD data model (Fachkonzept FHIR-Directory, Endpoint.address) stores the
 * address "in URL notation"; for TI-Messenger Endpoints that is the Matrix URI of the MXID, {@code matrix:u/local:domain}
 * (Matrix spec, appendices "Matrix URI scheme"; example {@code Endpoint-EndpointExample.json}). Older entries and seed data
 * still carry the bare MXID {@code @local:domain}, and I_VZD_TIM_Provider_Services' whereIs takes
 * {@code matrix:user/local:domain}. All three name the same Matrix user, so MXID addresses are compared in one canonical
 * form; other addresses (KIM {@code mailto:}) are compared as they are, case-insensitively.
 */
public final class EndpointAddresses {

    private EndpointAddresses() {
    }

    /** {@code @local:domain} for the three MXID notations, or null if the address is no MXID. */
    public static String mxid(String address) {
        if (address == null) {
            return null;
        }
        String value = address.trim();
        String rest;
        if (value.startsWith("matrix:u/")) {
            rest = value.substring("matrix:u/".length());
        } else if (value.startsWith("matrix:user/")) {
            rest = value.substring("matrix:user/".length());
        } else if (value.startsWith("@")) {
            rest = value.substring(1);
        } else {
            return null;
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int colon = rest.indexOf(':');
        if (colon <= 0 || colon == rest.length() - 1 || rest.contains("/")) {
            return null;
        }
        return "@" + rest.toLowerCase(Locale.ROOT);
    }

    /** Whether two Endpoint addresses name the same target. */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String mxidA = mxid(a);
        String mxidB = mxid(b);
        if (mxidA != null || mxidB != null) {
            return mxidA != null && mxidA.equals(mxidB);
        }
        return a.trim().equalsIgnoreCase(b.trim());
    }
}

package de.tim.matrix.acl;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.matrix.id.ServerName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A room's {@code m.room.server_acl}, applied to servers making federation requests for the room (S-S
 * "Server Access Control Lists"). Ports are ignored, as the spec requires. Host names are matched
 * case-insensitively and without a trailing dot, because DNS resolves those spellings to the same host
 * and a deny entry must not be evaded by writing {@code EVIL.com.}.
 */
public final class ServerAcl {

    private final boolean allowIpLiterals;
    private final List<Glob> allow;
    private final List<Glob> deny;

    private ServerAcl(boolean allowIpLiterals, List<Glob> allow, List<Glob> deny) {
        this.allowIpLiterals = allowIpLiterals;
        this.allow = allow;
        this.deny = deny;
    }

    /** From the event content; {@code allow_ip_literals} defaults to true unless it is the boolean false. */
    public static ServerAcl of(JsonNode content) {
        JsonNode ipLiterals = content.get("allow_ip_literals");
        boolean allowIp = ipLiterals == null || !ipLiterals.isBoolean() || ipLiterals.booleanValue();
        return new ServerAcl(allowIp, globs(content.get("allow")), globs(content.get("deny")));
    }

    /** Step 1: without an ACL event every server is allowed. */
    public static boolean allows(Optional<JsonNode> aclContent, ServerName server) {
        return aclContent.map(c -> of(c).allows(server)).orElse(true);
    }

    /** Steps 2–5 of the ACL evaluation. */
    public boolean allows(ServerName server) {
        if (server.kind() != ServerName.Kind.DNS && !allowIpLiterals) {
            return false;
        }
        String host = server.hostForComparison();
        if (deny.stream().anyMatch(g -> g.matches(host))) {
            return false;
        }
        return allow.stream().anyMatch(g -> g.matches(host));
    }

    private static List<Glob> globs(JsonNode list) {
        List<Glob> globs = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                if (entry.isTextual()) {
                    globs.add(Glob.ignoringCase(entry.textValue()));
                }
            }
        }
        return globs;
    }
}

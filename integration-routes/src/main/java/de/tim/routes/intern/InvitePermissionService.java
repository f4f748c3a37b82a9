package de.tim.routes.intern;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;

import de.tim.routes.error.ApiException;
import de.tim.routes.vzd.VzdClient;
import de.tim.routes.vzd.VzdClient.DirectoryPart;

/**
 * Stage 3 of the permission concept: an invite is allowed when the invitee is published in the organisation part of
 * the VZD-FHIR-Directory ({@code org}/{@code orgPract}), or when inviter and invitee are both published in the
 * practitioner part ({@code pract}/{@code orgPract}). whereIs answers are cached per MXID for a short time, in
 * memory only and without recording who invited whom.
 */
@Service
public class InvitePermissionService {

    /** A Matrix user id: {@code @localpart:server.name[:port]} (historical localparts allowed, no '/' or whitespace). */
    private static final Pattern MXID = Pattern.compile("@[\\x21-\\x2e\\x30-\\x39\\x3b-\\x7e]+:[A-Za-z0-9.\\-\\[\\]:]+");

    private final VzdClient vzd;
    private final InternVerificationProperties properties;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(DirectoryPart part, Instant until) {
    }

    @org.springframework.beans.factory.annotation.Autowired
    public InvitePermissionService(VzdClient vzd, InternVerificationProperties properties) {
        this(vzd, properties, Clock.systemUTC());
    }

    InvitePermissionService(VzdClient vzd, InternVerificationProperties properties, Clock clock) {
        this.vzd = vzd;
        this.properties = properties;
        this.clock = clock;
    }

    public boolean allowed(String inviter, String invitee) {
        validate("inviter", inviter);
        validate("invitee", invitee);
        DirectoryPart inviteePart = locate(invitee);
        if (inviteePart == DirectoryPart.org || inviteePart == DirectoryPart.orgPract) {
            return true;
        }
        if (inviteePart != DirectoryPart.pract) {
            return false;
        }
        DirectoryPart inviterPart = locate(inviter);
        return inviterPart == DirectoryPart.pract || inviterPart == DirectoryPart.orgPract;
    }

    private DirectoryPart locate(String mxid) {
        Instant now = clock.instant();
        Cached cached = cache.get(mxid);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.part();
        }
        DirectoryPart part = vzd.whereIs(mxid);
        if (cache.size() >= properties.whereIsCacheSize()) {
            cache.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
        }
        if (cache.size() < properties.whereIsCacheSize()) {
            cache.put(mxid, new Cached(part, now.plus(properties.whereIsCacheTtl())));
        }
        return part;
    }

    private static void validate(String name, String mxid) {
        if (mxid == null || mxid.length() > 255 || !MXID.matcher(mxid).matches()) {
            throw ApiException.badRequest("parameter '" + name + "' must be a Matrix user id (@localpart:server)");
        }
    }
}

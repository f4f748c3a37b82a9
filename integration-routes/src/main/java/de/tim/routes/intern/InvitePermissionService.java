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
 * practitioner part ({@code pract}/{@code orgPract}) — in both cases only if the invitee's visibility is not
 * restricted for the inviter. Restricted are Endpoints that are not {@code active} (whereIs counts only active ones)
 * and, for insured inviters (domain with {@code isInsurance} on the federation list), Endpoints carrying the
 * EndpointVisibility extension {@code hide-versicherte}; whereIs does not carry that, so it is read with the FHIR
 * search ({@link de.tim.routes.vzdsearch.VzdDirectory}, cached briefly). No answer about it: 503, the gateway refuses. whereIs answers are cached per MXID for a short time, in
 * memory only and without recording who invited whom.
 */
@Service
public class InvitePermissionService {

    /** A Matrix user id: {@code @localpart:server.name[:port]} (historical localparts allowed, no '/' or whitespace). */
    private static final Pattern MXID = Pattern.compile("@[\\x21-\\x2e\\x30-\\x39\\x3b-\\x7e]+:[A-Za-z0-9.\\-\\[\\]:]+");

    private final VzdClient vzd;
    private final de.tim.routes.federationlist.FederationDomains federation;
    private final de.tim.routes.vzdsearch.VzdDirectory directory;
    private final InternVerificationProperties properties;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(DirectoryPart part, Instant until) {
    }

    @org.springframework.beans.factory.annotation.Autowired
    public InvitePermissionService(VzdClient vzd, de.tim.routes.federationlist.FederationDomains federation,
                                   de.tim.routes.vzdsearch.VzdDirectory directory, InternVerificationProperties properties) {
        this(vzd, federation, directory, properties, Clock.systemUTC());
    }

    InvitePermissionService(VzdClient vzd, de.tim.routes.federationlist.FederationDomains federation,
                            de.tim.routes.vzdsearch.VzdDirectory directory, InternVerificationProperties properties, Clock clock) {
        this.vzd = vzd;
        this.federation = federation;
        this.directory = directory;
        this.properties = properties;
        this.clock = clock;
    }

    public boolean allowed(String inviter, String invitee) {
        validate("inviter", inviter);
        validate("invitee", invitee);
        DirectoryPart inviteePart = locate(invitee);
        if (inviteePart == DirectoryPart.none) {
            return false;
        }
        // visibility: entries hidden from insured persons (EndpointVisibility "hide-versicherte") do not count when the
        // inviter is an insured person, i.e. a user of a domain the federation list marks isInsurance
        String inviterDomain = inviter.substring(inviter.indexOf(':') + 1);
        if (federation.isInsurance(inviterDomain).orElse(false) && directory.hiddenFromInsurees(invitee)) {
            return false;
        }
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

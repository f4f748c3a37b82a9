package de.tim.routes.intern;

import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import de.tim.routes.error.ApiException;
import de.tim.routes.federationlist.FederationList;
import de.tim.routes.federationlist.FederationListService;

/** I_internVerification for the Messenger-Proxies (bearer-authenticated by {@link StaticBearerTokenFilter}). */
@RestController
@RequestMapping("/internal/v1")
public class InternVerificationEndpoints {

    static final MediaType JOSE = MediaType.parseMediaType("application/jose");

    private final FederationListService federationList;
    private final InvitePermissionService invitePermission;

    public InternVerificationEndpoints(FederationListService federationList, InvitePermissionService invitePermission) {
        this.federationList = federationList;
        this.invitePermission = invitePermission;
    }

    /** GET /internal/v1/federation-list[?version=N]: the VZD's JWS unchanged, or 204 when it is not newer than N. */
    @GetMapping("/federation-list")
    public ResponseEntity<String> federationList(@RequestParam(name = "version", required = false) String version) {
        Long known = parseVersion(version);
        federationList.ensureFresh();
        Optional<FederationList> stored = federationList.stored();
        if (stored.isEmpty()) {
            throw new ApiException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE, "NO_FEDERATION_LIST",
                    "no verified federation list is available yet");
        }
        if (known != null && stored.get().version() <= known) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok().contentType(JOSE).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Federation-List-Version", Long.toString(stored.get().version()))
                .body(stored.get().jws());
    }

    /** GET /internal/v1/invite-permission?inviter=&invitee=: stage 3 of the permission concept. */
    @GetMapping(path = "/invite-permission", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Boolean> invitePermission(@RequestParam("inviter") String inviter, @RequestParam("invitee") String invitee) {
        return Map.of("allowed", invitePermission.allowed(inviter, invitee));
    }

    private static Long parseVersion(String version) {
        if (version == null) {
            return null;
        }
        try {
            long value = Long.parseLong(version.trim());
            if (value < 0) {
                throw ApiException.badRequest("parameter 'version' must be a non-negative integer");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter 'version' must be a non-negative integer");
        }
    }
}

package de.tim.simulators.vzd.federation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Organization;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.simulators.vzd.VzdError;
import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.VzdProperties;
import de.tim.simulators.vzd.VzdRestApi;
import de.tim.simulators.vzd.auth.OAuthClients;
import de.tim.simulators.vzd.auth.TokenKind;
import de.tim.simulators.vzd.auth.VzdTokens;
import de.tim.simulators.vzd.fhir.FhirDirectory;

/** I_VZD_TIM_Provider_Services 1.3.0; every operation requires a provider-accesstoken. */
@RestController
@VzdRestApi
@RequestMapping(path = "/tim-provider-services", produces = MediaType.APPLICATION_JSON_VALUE)
public class TimProviderServicesController {

    static final String API_VERSION = "1.3.0";

    private final VzdTokens tokens;
    private final OAuthClients clients;
    private final FederationRegistry registry;
    private final FederationListSigner signer;
    private final MxidLocator locator;
    private final FhirDirectory directory;

    public TimProviderServicesController(VzdTokens tokens, OAuthClients clients, FederationRegistry registry,
                                         FederationListSigner signer, MxidLocator locator, FhirDirectory directory) {
        this.tokens = tokens;
        this.clients = clients;
        this.registry = registry;
        this.signer = signer;
        this.locator = locator;
        this.directory = directory;
    }

    /** GET / — getInfo. */
    @GetMapping({"", "/"})
    public Map<String, Object> info(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        provider(authorization);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("title", "I_VZD_TIM_Provider_Services");
        info.put("description", "TI-Messenger federation list and domain administration (simulator)");
        info.put("contact", Map.of("name", "TI-Messenger Fachdienst simulators"));
        info.put("version", API_VERSION);
        return info;
    }

    /** GET /FederationList/federationList.jws — getFederationList. */
    @GetMapping(path = "/FederationList/federationList.jws", produces = {MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    public ResponseEntity<byte[]> federationList(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                                 @RequestParam(name = "version", required = false) String version) {
        provider(authorization);
        Long known = null;
        if (version != null) {
            try {
                known = Long.parseLong(version.trim());
            } catch (NumberFormatException e) {
                throw new VzdException(org.springframework.http.HttpStatus.BAD_REQUEST, "version must be an integer",
                        List.of(new VzdError.InnerError("version", "not an integer")));
            }
        }
        FederationRegistry.Snapshot snapshot = registry.snapshot();
        if (known != null && snapshot.version() <= known) {
            return ResponseEntity.noContent().build();
        }
        byte[] jws = signer.sign(snapshot).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"federationList.jws\"").body(jws);
    }

    /** GET /localization?mxid= — whereIs. */
    @GetMapping("/localization")
    public String whereIs(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                          @RequestParam(name = "mxid", required = false) String mxid) {
        provider(authorization);
        return "\"" + locator.locate(MxidLocator.toMxid(mxid)).name() + "\"";
    }

    /** POST /federation — addTiMessengerDomain. */
    @PostMapping(path = "/federation", consumes = MediaType.APPLICATION_JSON_VALUE)
    public DomainDto add(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                         @RequestBody(required = false) DomainDto body) {
        VzdProperties.Client client = provider(authorization);
        FederationDomain domain = validated(body, client);
        requireActiveOrganization(domain.telematikID());
        if (!registry.add(domain)) {
            throw VzdException.conflict("domain already exists");
        }
        return domain.toDto();
    }

    /** GET /federation[?domain=] — getTiMessengerDomain. */
    @GetMapping("/federation")
    public List<DomainDto> get(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                               @RequestParam(name = "domain", required = false) String domain) {
        VzdProperties.Client client = provider(authorization);
        if (domain == null) {
            return registry.ofProvider(client.timProvider()).stream().map(FederationDomain::toDto).toList();
        }
        if (domain.isBlank()) {
            throw VzdException.badRequest("parameter domain must not be empty");
        }
        return List.of(registry.find(domain).orElseThrow(() -> VzdException.notFound("domain not found")).toDto());
    }

    /** PUT /federation/{domain} — updateTiMessengerDomain. */
    @PutMapping(path = "/federation/{domain}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public DomainDto update(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                            @PathVariable("domain") String domain, @RequestBody(required = false) DomainDto body) {
        VzdProperties.Client client = provider(authorization);
        FederationDomain updated = validated(body, client);
        if (!updated.domain().equalsIgnoreCase(domain)) {
            throw new VzdException(org.springframework.http.HttpStatus.BAD_REQUEST, "domain in path and body differ",
                    List.of(new VzdError.InnerError("domain", "must equal the path parameter")));
        }
        FederationDomain existing = registry.find(domain).orElseThrow(() -> VzdException.notFound("domain not found"));
        requireOwner(existing, client);
        requireActiveOrganization(updated.telematikID());
        registry.replace(updated);
        return updated.toDto();
    }

    /** DELETE /federation/{domain} — deleteTiMessengerDomain. */
    @DeleteMapping("/federation/{domain}")
    public ResponseEntity<Void> delete(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                       @PathVariable("domain") String domain) {
        VzdProperties.Client client = provider(authorization);
        FederationDomain existing = registry.find(domain).orElseThrow(() -> VzdException.notFound("domain not found"));
        requireOwner(existing, client);
        registry.remove(domain);
        return ResponseEntity.noContent().build();
    }

    /**
     * GET /federationCheck — checkTiMessengerDomains: the caller's domains whose telematikID belongs to no active
     * Organization, as {@code {"inactiveOrganizationDomains": [Domain]}}; 204 when all are fine.
     */
    @GetMapping("/federationCheck")
    public ResponseEntity<Map<String, List<DomainDto>>> check(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        VzdProperties.Client client = provider(authorization);
        List<DomainDto> inactive = registry.ofProvider(client.timProvider()).stream()
                .filter(d -> !organizationActive(d.telematikID())).map(FederationDomain::toDto).toList();
        if (inactive.isEmpty()) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok(Map.of("inactiveOrganizationDomains", inactive));
    }

    private VzdProperties.Client provider(String authorization) {
        JWTClaimsSet claims = tokens.require(TokenKind.PROVIDER, authorization);
        String clientId = VzdTokens.claim(claims, "clientId");
        return clients.find(clientId).orElseThrow(() -> VzdException.forbidden("client is not registered"));
    }

    private static FederationDomain validated(DomainDto body, VzdProperties.Client client) {
        if (body == null) {
            throw VzdException.badRequest("request body Domain is required");
        }
        List<VzdError.InnerError> errors = new java.util.ArrayList<>();
        if (body.domain() == null || body.domain().isBlank()) {
            errors.add(new VzdError.InnerError("domain", "is required"));
        } else if (!body.domain().matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            errors.add(new VzdError.InnerError("domain", "is not a valid server name"));
        }
        if (body.telematikID() == null || body.telematikID().isBlank()) {
            errors.add(new VzdError.InnerError("telematikID", "is required"));
        }
        if (body.isInsurance() == null) {
            errors.add(new VzdError.InnerError("isInsurance", "is required"));
        }
        if (!errors.isEmpty()) {
            throw new VzdException(org.springframework.http.HttpStatus.BAD_REQUEST, "invalid Domain", errors);
        }
        return new FederationDomain(body.domain().trim(), body.telematikID().trim(),
                Boolean.TRUE.equals(body.isInsurance()), client.timProvider());
    }

    private static void requireOwner(FederationDomain domain, VzdProperties.Client client) {
        if (!domain.timProvider().equals(client.timProvider())) {
            throw VzdException.forbidden("domain is assigned to another TI-Messenger provider");
        }
    }

    private void requireActiveOrganization(String telematikId) {
        if (!organizationActive(telematikId)) {
            throw new VzdException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    "organization which belongs to the telematikID is not active",
                    List.of(new VzdError.InnerError("telematikID", "no active Organization")));
        }
    }

    private boolean organizationActive(String telematikId) {
        return directory.organizationByTelematikId(telematikId).map(Organization::getActive).orElse(false);
    }
}

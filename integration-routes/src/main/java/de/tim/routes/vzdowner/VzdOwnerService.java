package de.tim.routes.vzdowner;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import de.tim.routes.admin.AdminPrincipal;
import de.tim.routes.error.ApiException;
import de.tim.routes.token.RegServiceTokenService;

/**
 * The organisation's entries in the VZD-FHIR-Directory (AF_10059), for its Org-Admin only: a RegService-OpenID-Token
 * of the admin's organisation is exchanged at {@code /owner-authenticate} for an owner-accesstoken (cached per
 * organisation until shortly before expiry), then HealthcareService and Endpoint resources are created, updated and
 * deleted through Camel FHIR. The directory itself allows an owner to change only its own resources.
 */
@Service
public class VzdOwnerService {

    private static final Logger log = LoggerFactory.getLogger(VzdOwnerService.class);
    static final String TELEMATIK_ID = "https://gematik.de/fhir/sid/telematik-id";
    static final String CONNECTION_TYPES = "https://gematik.de/fhir/directory/CodeSystem/EndpointDirectoryConnectionType";
    static final String PAYLOAD_TYPES = "https://gematik.de/fhir/directory/CodeSystem/EndpointDirectoryPayloadType";
    private static final Pattern MXID = Pattern.compile("@([\\x21-\\x2e\\x30-\\x39\\x3b-\\x7e]+:[A-Za-z0-9.\\-]+(:[0-9]{1,5})?)");

    /** A created or listed directory entry. */
    public record Entry(String type, String id, String name, String address) {
    }

    private record OwnerToken(String token, Instant expiresAt) {
    }

    private final ProducerTemplate template;
    private final RegServiceTokenService regServiceTokens;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, OwnerToken> ownerTokens = new ConcurrentHashMap<>();

    @Autowired
    public VzdOwnerService(ProducerTemplate template, RegServiceTokenService regServiceTokens, ObjectMapper json) {
        this.template = template;
        this.regServiceTokens = regServiceTokens;
        this.json = json;
    }

    /** Creates a HealthcareService of the admin's organisation (providedBy its Organization entry, when found). */
    public Entry createHealthcareService(AdminPrincipal admin, String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ApiException.badRequest("name is required (at most 200 characters)");
        }
        HealthcareService service = new HealthcareService();
        service.setActive(true);
        service.setName(name.trim());
        organizationId(admin).ifPresent(id -> service.setProvidedBy(new Reference("Organization/" + id)));
        String id = create(admin, service);
        return new Entry("HealthcareService", id, service.getName(), null);
    }

    /**
     * Creates an Endpoint for an MXID ({@code matrix:u/<local>:<domain>}) with the TI-Messenger connection and payload
     * type and adds it to the HealthcareService; {@code name} is shown for functional accounts ({@code Endpoint.name}).
     */
    public Entry addEndpoint(AdminPrincipal admin, String healthcareServiceId, String mxid, String name) {
        var matcher = mxid == null ? null : MXID.matcher(mxid.trim());
        if (matcher == null || !matcher.matches()) {
            throw ApiException.badRequest("mxid must be a Matrix user id (@localpart:domain)");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ApiException.badRequest("name is required (the VZD profile needs Endpoint.name; for functional accounts the shown name)");
        }
        if (healthcareServiceId == null || !healthcareServiceId.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw ApiException.badRequest("healthcare service id is malformed");
        }
        HealthcareService service = read(admin, "HealthcareService", healthcareServiceId, HealthcareService.class);
        Endpoint endpoint = new Endpoint();
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setAddress("matrix:u/" + matcher.group(1));
        endpoint.setConnectionType(new Coding(CONNECTION_TYPES, "tim", "TI-Messenger"));
        endpoint.addPayloadType(new CodeableConcept(new Coding(PAYLOAD_TYPES, "tim-chat", "TI-Messenger chat")));
        endpoint.setName(name.trim());
        String endpointId = create(admin, endpoint);
        service.addEndpoint(new Reference("Endpoint/" + endpointId));
        try {
            call(admin, VzdOwnerRoute.UPDATE, service);
        } catch (ApiException e) {
            // no orphan Endpoint when the HealthcareService cannot reference it (e.g. it belongs to someone else)
            try {
                call(admin, VzdOwnerRoute.DELETE, new IdType("Endpoint", endpointId));
            } catch (ApiException rollbackFailed) {
                log.warn("an Endpoint created for a failed HealthcareService update could not be deleted");
            }
            throw e;
        }
        return new Entry("Endpoint", endpointId, endpoint.getName(), endpoint.getAddress());
    }

    /** Deletes an own HealthcareService or Endpoint. */
    public void delete(AdminPrincipal admin, String type, String id) {
        if (!List.of("HealthcareService", "Endpoint").contains(type) || id == null || !id.matches("[A-Za-z0-9\\-.]{1,64}")) {
            throw ApiException.badRequest("only HealthcareService and Endpoint entries with a valid id can be deleted");
        }
        call(admin, VzdOwnerRoute.DELETE, new IdType(type, id));
    }

    /** The organisation's HealthcareServices as stored in the directory. */
    public List<Entry> healthcareServices(AdminPrincipal admin) {
        List<Entry> entries = new ArrayList<>();
        Object result = organizationId(admin).map(orgId -> call(admin, VzdOwnerRoute.SEARCH,
                "HealthcareService?organization=Organization/" + orgId)).orElse(null);
        if (result instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() instanceof HealthcareService h) {
                    entries.add(new Entry("HealthcareService", h.getIdElement().getIdPart(), h.getName(), null));
                }
            }
        }
        return entries;
    }

    private java.util.Optional<String> organizationId(AdminPrincipal admin) {
        Object result = call(admin, VzdOwnerRoute.SEARCH, "Organization?identifier=" + TELEMATIK_ID + "|" + admin.telematikId());
        if (result instanceof Bundle bundle && !bundle.getEntry().isEmpty() && bundle.getEntryFirstRep().getResource() != null) {
            return java.util.Optional.of(bundle.getEntryFirstRep().getResource().getIdElement().getIdPart());
        }
        return java.util.Optional.empty();
    }

    private <T extends IBaseResource> T read(AdminPrincipal admin, String type, String id, Class<T> kind) {
        Object result = call(admin, VzdOwnerRoute.SEARCH, type + "?_id=" + id);
        if (result instanceof Bundle bundle && !bundle.getEntry().isEmpty() && kind.isInstance(bundle.getEntryFirstRep().getResource())) {
            return kind.cast(bundle.getEntryFirstRep().getResource());
        }
        throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", type + " not found");
    }

    private String create(AdminPrincipal admin, IBaseResource resource) {
        Object outcome = call(admin, VzdOwnerRoute.CREATE, resource);
        if (outcome instanceof MethodOutcome created && created.getId() != null) {
            return created.getId().getIdPart();
        }
        throw new ApiException(HttpStatus.BAD_GATEWAY, "VZD_FAILED", "the VZD answered a create without an id");
    }

    private Object call(AdminPrincipal admin, String endpoint, Object body) {
        for (int attempt = 0; ; attempt++) {
            String token = ownerToken(admin);
            Exchange exchange = template.request(endpoint, e -> {
                e.getIn().setHeader("TimOwnerToken", token);
                e.getIn().setBody(body);
            });
            Exception failure = exchange.getException();
            if (failure == null) {
                return exchange.getMessage().getBody();
            }
            BaseServerResponseException fhir = exchange.getException(BaseServerResponseException.class);
            int status = fhir != null ? fhir.getStatusCode() : 0;
            if (status == 401 && attempt == 0) {
                ownerTokens.remove(admin.telematikId());
                continue;
            }
            // the VZD's diagnostics can quote the entry (MXIDs): only the status and the failure type are logged
            log.warn("VZD owner operation failed with status {} ({})", status, failure.getClass().getSimpleName());
            throw switch (status) {
                case 400, 422 -> new ApiException(HttpStatus.BAD_REQUEST, "VZD_REFUSED", "the VZD refused the entry as invalid");
                case 403 -> new ApiException(HttpStatus.FORBIDDEN, "VZD_FORBIDDEN", "the VZD allows this only for the owner's own entries");
                case 404, 410 -> new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "no such entry in the VZD");
                default -> new ApiException(HttpStatus.BAD_GATEWAY, "VZD_FAILED", "the VZD owner operation failed");
            };
        }
    }

    private String ownerToken(AdminPrincipal admin) {
        Instant now = clock.instant();
        OwnerToken cached = ownerTokens.get(admin.telematikId());
        if (cached != null && cached.expiresAt().minusSeconds(30).isAfter(now)) {
            return cached.token();
        }
        String regServiceToken = regServiceTokens.issue(admin).token();
        Exchange exchange = template.request(VzdOwnerRoute.AUTHENTICATE,
                e -> e.getIn().setHeader("Authorization", "Bearer " + regServiceToken));
        if (exchange.getException() != null) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "VZD_OWNER_AUTH_FAILED", "the VZD did not accept the RegService-OpenID-Token");
        }
        try {
            JsonNode answer = json.readTree(exchange.getMessage().getBody(String.class));
            String token = answer.path("access_token").asText(null);
            if (token == null) {
                throw new ApiException(HttpStatus.BAD_GATEWAY, "VZD_OWNER_AUTH_FAILED", "the VZD answered without an owner-accesstoken");
            }
            long expiresIn = answer.path("expires_in").asLong(300);
            ownerTokens.put(admin.telematikId(), new OwnerToken(token, now.plusSeconds(expiresIn)));
            return token;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "VZD_OWNER_AUTH_FAILED", "the VZD answered no JSON");
        }
    }
}

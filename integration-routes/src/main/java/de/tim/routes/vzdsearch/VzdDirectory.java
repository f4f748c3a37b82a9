package de.tim.routes.vzdsearch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What this service reads from the directory's {@code /search} API:
 * <ul>
 * <li>the Organization behind a KIM address (AF_10103 method 2): KIM addresses are Endpoints ({@code connectionType}
 * {@code kim-*}, {@code address mailto:<KIM address>}, LDAP2FHIR_Sync) managed by the Organization whose
 * {@code identifier} holds the telematikID and whose {@code type} the ProfessionOID;</li>
 * <li>the visibility of an MXID's Endpoints (EndpointVisibility extension, {@code hide-versicherte}).</li>
 * </ul>
 * Answers are cached for {@code tim.routes.vzd-search.cache-ttl} (in memory, bounded).
 */
@Service
public class VzdDirectory {

    public static final String TELEMATIK_ID = "https://gematik.de/fhir/sid/telematik-id";
    public static final String ORGANIZATION_PROFESSION_OID = "https://gematik.de/fhir/directory/CodeSystem/OrganizationProfessionOID";
    public static final String VISIBILITY_EXTENSION = "https://gematik.de/fhir/directory/StructureDefinition/EndpointVisibility";
    public static final String HIDE_VERSICHERTE = "hide-versicherte";

    /** An Organization entry of the directory. */
    public record DirectoryOrganisation(String telematikId, String professionOid, String name, boolean active) {
    }

    /** More than one Organization claims the KIM address: it identifies none. */
    public static class AmbiguousEntryException extends RuntimeException {
        AmbiguousEntryException(String message) {
            super(message);
        }
    }

    private final VzdSearchClient search;
    private final VzdSearchProperties properties;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Cached> visibility = new ConcurrentHashMap<>();

    private record Cached(boolean hidden, Instant until) {
    }

    public VzdDirectory(VzdSearchClient search, VzdSearchProperties properties) {
        this.search = search;
        this.properties = properties;
    }

    public boolean configured() {
        return search.configured();
    }

    /** The Organization whose KIM Endpoint has this address (not cached: onboarding wants the current entry). */
    public Optional<DirectoryOrganisation> organisationByKimAddress(String kimAddress) {
        JsonNode bundle = search.search("Endpoint", "address=" + VzdSearchClient.encode("mailto:" + kimAddress)
                + "&connection-type=kim-1.0,kim-1.5,kim-2.0&status=active&_include=Endpoint:organization");
        List<DirectoryOrganisation> organisations = new ArrayList<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            if ("Organization".equals(resource.path("resourceType").asText())) {
                organisations.add(organisation(resource));
            }
        }
        if (organisations.size() > 1) {
            throw new AmbiguousEntryException("the KIM address belongs to more than one organisation in the VZD");
        }
        return organisations.stream().findFirst();
    }

    /**
     * Whether the MXID is hidden from insured persons: every active TI-Messenger Endpoint with this address carries the
     * EndpointVisibility extension {@code hide-versicherte} (an MXID without such an Endpoint is not visible either).
     */
    public boolean hiddenFromInsurees(String mxid) {
        Instant now = clock.instant();
        Cached cached = visibility.get(mxid);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.hidden();
        }
        JsonNode bundle = search.search("Endpoint", "address=" + VzdSearchClient.encode("matrix:u/" + mxid.substring(1))
                + "&connection-type=tim&status=active");
        boolean visibleOne = false;
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode resource = entry.path("resource");
            if ("Endpoint".equals(resource.path("resourceType").asText()) && !hidden(resource)) {
                visibleOne = true;
            }
        }
        boolean hidden = !visibleOne;
        if (visibility.size() >= properties.cacheSize()) {
            visibility.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
        }
        if (visibility.size() < properties.cacheSize()) {
            visibility.put(mxid, new Cached(hidden, now.plus(properties.cacheTtl())));
        }
        return hidden;
    }

    private static boolean hidden(JsonNode endpoint) {
        for (JsonNode extension : endpoint.path("extension")) {
            if (VISIBILITY_EXTENSION.equals(extension.path("url").asText())
                    && HIDE_VERSICHERTE.equals(extension.path("valueCoding").path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    private static DirectoryOrganisation organisation(JsonNode resource) {
        String telematikId = null;
        for (JsonNode identifier : resource.path("identifier")) {
            if (TELEMATIK_ID.equals(identifier.path("system").asText()) && identifier.path("value").isTextual()) {
                telematikId = identifier.get("value").asText();
            }
        }
        String professionOid = null;
        for (JsonNode type : resource.path("type")) {
            for (JsonNode coding : type.path("coding")) {
                if (ORGANIZATION_PROFESSION_OID.equals(coding.path("system").asText()) && coding.path("code").isTextual()) {
                    professionOid = coding.get("code").asText();
                }
            }
        }
        return new DirectoryOrganisation(telematikId, professionOid, resource.path("name").asText(null),
                resource.path("active").asBoolean(false));
    }
}

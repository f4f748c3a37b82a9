package de.tim.simulators.vzd.fhir;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * The directory's FHIR resources (HAPI R4 model), in memory. Resources are copied in and out, so callers never
 * share mutable HAPI objects. Thread-safe.
 */
@Component
public class FhirDirectory {

    /** Identifier system of the telematikID. */
    public static final String TELEMATIK_ID = "https://gematik.de/fhir/sid/telematik-id";

    private final Map<String, Map<String, Resource>> store = new ConcurrentHashMap<>();
    /** "Type/id" to the telematikID of the owner (organisation or practitioner) who may change it. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();

    /** Stores a copy owned by {@code ownerTelematikId}. */
    public synchronized Resource put(Resource resource, String ownerTelematikId) {
        Resource stored = put(resource);
        owners.put(stored.fhirType() + "/" + stored.getIdElement().getIdPart(), ownerTelematikId);
        return stored;
    }

    /** The telematikID of the owner of "Type/id", if any. */
    public Optional<String> owner(String type, String id) {
        return Optional.ofNullable(owners.get(type + "/" + id));
    }

    /** Stores a copy; assigns an id if there is none and bumps meta.versionId / lastUpdated. */
    public synchronized Resource put(Resource resource) {
        Resource copy = resource.copy();
        if (!copy.hasIdElement() || copy.getIdElement().getIdPart() == null) {
            copy.setId(UUID.randomUUID().toString());
        }
        String id = copy.getIdElement().getIdPart();
        copy.setId(id);
        Map<String, Resource> ofType = store.computeIfAbsent(copy.fhirType(), t -> new ConcurrentHashMap<>());
        Resource previous = ofType.get(id);
        long version = previous == null ? 1 : Long.parseLong(previous.getMeta().getVersionId()) + 1;
        copy.getMeta().setVersionId(Long.toString(version)).setLastUpdated(new Date());
        ofType.put(id, copy);
        return copy.copy();
    }

    public Optional<Resource> get(String type, String id) {
        Map<String, Resource> ofType = store.get(type);
        Resource resource = ofType == null ? null : ofType.get(id);
        return Optional.ofNullable(resource).map(Resource::copy);
    }

    public List<Resource> all(String type) {
        Map<String, Resource> ofType = store.get(type);
        List<Resource> result = new ArrayList<>();
        if (ofType != null) {
            ofType.values().forEach(r -> result.add(r.copy()));
        }
        result.sort((a, b) -> a.getIdElement().getIdPart().compareTo(b.getIdElement().getIdPart()));
        return result;
    }

    public synchronized boolean delete(String type, String id) {
        Map<String, Resource> ofType = store.get(type);
        owners.remove(type + "/" + id);
        return ofType != null && ofType.remove(id) != null;
    }

    public Optional<Organization> organizationByTelematikId(String telematikId) {
        return all("Organization").stream().map(Organization.class::cast)
                .filter(o -> hasTelematikId(o.getIdentifier(), telematikId)).findFirst();
    }

    /** Sets Organization.active of the organisation with this telematikID; false if there is none. */
    public synchronized boolean setOrganizationActive(String telematikId, boolean active) {
        Optional<Organization> organization = organizationByTelematikId(telematikId);
        organization.ifPresent(o -> put(o.setActive(active)));
        return organization.isPresent();
    }

    public List<Endpoint> endpointsWithAddress(String address) {
        return all("Endpoint").stream().map(Endpoint.class::cast)
                .filter(e -> EndpointAddresses.same(address, e.getAddress())).toList();
    }

    public static boolean hasTelematikId(List<Identifier> identifiers, String telematikId) {
        return identifiers.stream().anyMatch(i -> TELEMATIK_ID.equals(i.getSystem()) && telematikId.equals(i.getValue()));
    }

    public static Optional<String> telematikId(List<Identifier> identifiers) {
        return identifiers.stream().filter(i -> TELEMATIK_ID.equals(i.getSystem())).map(Identifier::getValue).findFirst();
    }
}

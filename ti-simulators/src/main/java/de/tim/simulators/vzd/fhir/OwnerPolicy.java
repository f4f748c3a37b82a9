package de.tim.simulators.vzd.fhir;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Who may change what through /owner (ML-123626, ML-123611): an owner (organisation or practitioner, by telematikID)
 * changes only resources it owns, and every reference in what it writes must point to its own resources. Organization
 * and Practitioner entries come from the card holders' data (LDAP sync): owners may update, never create or delete
 * them, and may not change their telematikID or {@code active}. A PractitionerRole may refer to any existing
 * Organization and Location (practitioners work at organisations they do not own).
 */
@Component
public class OwnerPolicy {

    private static final Set<String> CREATABLE = Set.of("HealthcareService", "Endpoint", "Location", "PractitionerRole");

    private final FhirDirectory directory;

    public OwnerPolicy(FhirDirectory directory) {
        this.directory = directory;
    }

    public void checkCreate(String owner, Resource resource) {
        if (!CREATABLE.contains(resource.fhirType())) {
            throw FhirException.forbidden(resource.fhirType() + " entries cannot be created by owners");
        }
        checkReferences(owner, resource);
    }

    public void checkUpdate(String owner, Resource existing, Resource updated) {
        checkOwned(owner, existing);
        if (existing instanceof Organization before && updated instanceof Organization after) {
            if (!FhirDirectory.hasTelematikId(after.getIdentifier(), owner) || before.getActive() != after.getActive()) {
                throw FhirException.forbidden("the telematikID and active state of an Organization cannot be changed by its owner");
            }
        }
        if (existing instanceof Practitioner && updated instanceof Practitioner after
                && !FhirDirectory.hasTelematikId(after.getIdentifier(), owner)) {
            throw FhirException.forbidden("the telematikID of a Practitioner cannot be changed by its owner");
        }
        checkReferences(owner, updated);
    }

    public void checkDelete(String owner, Resource existing) {
        if (!CREATABLE.contains(existing.fhirType())) {
            throw FhirException.forbidden(existing.fhirType() + " entries cannot be deleted by owners");
        }
        checkOwned(owner, existing);
    }

    public void checkOwned(String owner, Resource existing) {
        String actual = directory.owner(existing.fhirType(), existing.getIdElement().getIdPart()).orElse(null);
        if (!owner.equals(actual)) {
            throw FhirException.forbidden("the resource belongs to another owner");
        }
    }

    private void checkReferences(String owner, Resource resource) {
        if (resource instanceof PractitionerRole role) {
            List<Reference> shared = new ArrayList<>(role.getLocation());
            shared.add(role.getOrganization());
            for (Reference reference : shared) {
                resolve(reference);
            }
        }
        for (Reference reference : references(resource)) {
            String value = reference.getReference();
            if (value == null) {
                continue;
            }
            checkOwned(owner, resolve(reference));
        }
    }

    private Resource resolve(Reference reference) {
        String value = reference.getReference();
        if (value == null) {
            return null;
        }
        String[] parts = value.split("/");
        if (parts.length != 2) {
            throw FhirException.invalid("references must be relative (Type/id): " + value);
        }
        return directory.get(parts[0], parts[1])
                .orElseThrow(() -> FhirException.invalid("reference " + value + " does not resolve"));
    }

    private static List<Reference> references(Resource resource) {
        List<Reference> result = new ArrayList<>();
        switch (resource) {
            case HealthcareService h -> {
                result.add(h.getProvidedBy());
                result.addAll(h.getEndpoint());
                result.addAll(h.getLocation());
            }
            case PractitionerRole r -> {
                result.add(r.getPractitioner());
                result.addAll(r.getEndpoint());
            }
            case Endpoint e -> result.add(e.getManagingOrganization());
            case Location l -> result.add(l.getManagingOrganization());
            case Organization o -> result.addAll(o.getEndpoint());
            default -> {
            }
        }
        return result;
    }
}

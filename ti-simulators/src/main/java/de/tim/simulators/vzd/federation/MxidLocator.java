package de.tim.simulators.vzd.federation;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import de.tim.simulators.vzd.VzdException;
import de.tim.simulators.vzd.fhir.FhirDirectory;

/**
 * whereIs: in which part of the directory an MXID is published. Organisation part: an Endpoint with the MXID as
 * address referenced by a HealthcareService (or managed by an Organization); practitioner part: referenced by a
 * PractitionerRole. Only active Endpoints count.
 */
@Component
public class MxidLocator {

    public enum Part { org, pract, orgPract, none }

    private final FhirDirectory directory;

    public MxidLocator(FhirDirectory directory) {
        this.directory = directory;
    }

    /** Converts {@code matrix:user/local:domain} (also {@code matrix:u/...} or {@code @local:domain}) to {@code @local:domain}. */
    public static String toMxid(String mxidUri) {
        if (mxidUri == null || mxidUri.isBlank()) {
            throw VzdException.badRequest("parameter mxid is required");
        }
        String value = mxidUri.trim();
        String local;
        if (value.startsWith("matrix:user/")) {
            local = value.substring("matrix:user/".length());
        } else if (value.startsWith("matrix:u/")) {
            local = value.substring("matrix:u/".length());
        } else if (value.startsWith("@")) {
            local = value.substring(1);
        } else {
            throw VzdException.badRequest("mxid must have the form matrix:user/localpart:domainpart");
        }
        int colon = local.indexOf(':');
        if (colon <= 0 || colon == local.length() - 1 || local.contains("/")) {
            throw VzdException.badRequest("mxid must have the form matrix:user/localpart:domainpart");
        }
        return "@" + local;
    }

    public Part locate(String mxid) {
        List<Endpoint> endpoints = directory.endpointsWithAddress(mxid).stream()
                .filter(e -> e.getStatus() == Endpoint.EndpointStatus.ACTIVE).toList();
        Set<String> ids = endpoints.stream().map(e -> "Endpoint/" + e.getIdElement().getIdPart()).collect(Collectors.toSet());
        boolean org = endpoints.stream().anyMatch(Endpoint::hasManagingOrganization)
                || directory.all("HealthcareService").stream().map(HealthcareService.class::cast)
                        .anyMatch(h -> references(h.getEndpoint(), ids));
        boolean pract = directory.all("PractitionerRole").stream().map(PractitionerRole.class::cast)
                .anyMatch(r -> references(r.getEndpoint(), ids));
        if (org && pract) {
            return Part.orgPract;
        }
        return org ? Part.org : pract ? Part.pract : Part.none;
    }

    private static boolean references(List<Reference> references, Set<String> ids) {
        return references.stream().anyMatch(r -> ids.contains(r.getReference()));
    }
}

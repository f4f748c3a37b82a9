package de.tim.simulators.seed;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import de.tim.simulators.vzd.fhir.FhirDirectory;

/** Turns seed entries into FHIR resources shaped by the VZD profiles (OrganizationDirectory, EndpointDirectory, …). */
public final class FhirResources {

    public static final String PROFILE_BASE = "https://gematik.de/fhir/directory/StructureDefinition/";
    public static final String ORIGIN = "https://gematik.de/fhir/directory/CodeSystem/Origin";
    public static final String ORGANIZATION_PROFESSION_OID = "https://gematik.de/fhir/directory/CodeSystem/OrganizationProfessionOID";
    public static final String PRACTITIONER_PROFESSION_OID = "https://gematik.de/fhir/directory/CodeSystem/PractitionerProfessionOID";
    public static final String CONNECTION_TYPE = "https://gematik.de/fhir/directory/CodeSystem/EndpointDirectoryConnectionType";
    public static final String KIM_CONNECTION_TYPE = "kim-2.0";
    public static final String PAYLOAD_TYPE = "https://gematik.de/fhir/directory/CodeSystem/EndpointDirectoryPayloadType";

    private FhirResources() {
    }

    /** All resources of an organisation: Organization, Location, HealthcareServices, Endpoints. */
    public static List<Resource> organization(SeedData.Organization seed) {
        List<Resource> resources = new ArrayList<>();
        Organization organization = new Organization();
        organization.setId(seed.id());
        tag(organization, "OrganizationDirectory", "ldap");
        organization.addIdentifier().setSystem(FhirDirectory.TELEMATIK_ID).setValue(seed.telematikId());
        organization.setActive(seed.active() == null || seed.active());
        organization.addType(new CodeableConcept(new Coding(ORGANIZATION_PROFESSION_OID, seed.professionOid(), null)));
        organization.setName(seed.name());
        seed.alias().forEach(organization::addAlias);
        if (seed.address() != null) {
            organization.addAddress(address(seed.address()));
        }
        resources.add(organization);
        Location location = null;
        if (seed.address() != null) {
            location = new Location();
            location.setId(seed.id() + "-location");
            tag(location, "LocationDirectory", "ldap");
            location.setName(seed.name());
            location.setAddress(address(seed.address()));
            location.setManagingOrganization(new Reference("Organization/" + seed.id()));
            resources.add(location);
        }
        for (SeedData.HealthcareService service : seed.healthcareServices()) {
            HealthcareService healthcareService = new HealthcareService();
            healthcareService.setId(service.id());
            tag(healthcareService, "HealthcareServiceDirectory", "owner");
            healthcareService.setProvidedBy(new Reference("Organization/" + seed.id()));
            healthcareService.setName(service.name());
            if (location != null) {
                healthcareService.addLocation(new Reference("Location/" + location.getIdElement().getIdPart()));
            }
            for (SeedData.MatrixEndpoint endpoint : service.endpoints()) {
                resources.add(endpoint(endpoint, "Organization/" + seed.id()));
                healthcareService.addEndpoint(new Reference("Endpoint/" + endpoint.id()));
            }
            resources.add(healthcareService);
        }
        if (seed.kimAddress() != null) {
            resources.add(kimEndpoint(seed));
        }
        return resources;
    }

    /** Practitioner, PractitionerRole (at its organisation) and its Endpoints. */
    public static List<Resource> practitioner(SeedData.Practitioner seed) {
        List<Resource> resources = new ArrayList<>();
        Practitioner practitioner = new Practitioner();
        practitioner.setId(seed.id());
        tag(practitioner, "PractitionerDirectory", "ldap");
        practitioner.addIdentifier().setSystem(FhirDirectory.TELEMATIK_ID).setValue(seed.telematikId());
        practitioner.setActive(true);
        HumanName name = practitioner.addName().setFamily(seed.familyName()).addGiven(seed.givenName());
        if (seed.prefix() != null) {
            name.addPrefix(seed.prefix());
        }
        name.setText(((seed.prefix() == null ? "" : seed.prefix() + " ") + seed.givenName() + " " + seed.familyName()).trim());
        practitioner.addQualification().setCode(new CodeableConcept(new Coding(PRACTITIONER_PROFESSION_OID, seed.professionOid(), null)));
        resources.add(practitioner);
        PractitionerRole role = new PractitionerRole();
        role.setId(seed.id() + "-role");
        tag(role, "PractitionerRoleDirectory", "ldap");
        role.setPractitioner(new Reference("Practitioner/" + seed.id()));
        if (seed.organizationId() != null) {
            role.setOrganization(new Reference("Organization/" + seed.organizationId()));
            role.addLocation(new Reference("Location/" + seed.organizationId() + "-location"));
        }
        for (SeedData.MatrixEndpoint endpoint : seed.endpoints()) {
            resources.add(endpoint(endpoint, null));
            role.addEndpoint(new Reference("Endpoint/" + endpoint.id()));
        }
        resources.add(role);
        return resources;
    }

    private static Endpoint endpoint(SeedData.MatrixEndpoint seed, String managingOrganization) {
        Endpoint endpoint = new Endpoint();
        endpoint.setId(seed.id());
        tag(endpoint, "EndpointDirectory", "owner");
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setConnectionType(new Coding(CONNECTION_TYPE, "tim", null));
        endpoint.setName(seed.name() != null ? seed.name() : seed.mxid());
        endpoint.setAddress(seed.mxid());
        endpoint.addPayloadType(new CodeableConcept(new Coding(PAYLOAD_TYPE, "tim-chat", null)));
        if (managingOrganization != null) {
            endpoint.setManagingOrganization(new Reference(managingOrganization));
        }
        return endpoint;
    }

    /**
     * The organisation's KIM address as the directory keeps it (LDAP2FHIR_Sync: "KIM Informationen werden als Endpoint
     * kodiert"): an Endpoint managed by the Organization, connectionType {@code kim-2.0}, address {@code mailto:<KIM address>}.
     */
    private static Endpoint kimEndpoint(SeedData.Organization seed) {
        Endpoint endpoint = new Endpoint();
        endpoint.setId(seed.id() + "-kim");
        tag(endpoint, "EndpointDirectory", "ldap");
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setConnectionType(new Coding(CONNECTION_TYPE, KIM_CONNECTION_TYPE, null));
        endpoint.setName("KIM " + seed.name());
        endpoint.setAddress("mailto:" + seed.kimAddress());
        endpoint.addPayloadType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/endpoint-payload-type", "none", null)));
        endpoint.setManagingOrganization(new Reference("Organization/" + seed.id()));
        return endpoint;
    }

    private static Address address(SeedData.Address seed) {
        Address address = new Address().setCity(seed.city()).setPostalCode(seed.postalCode()).setState(seed.state()).setCountry("DE");
        if (seed.line() != null) {
            address.addLine(seed.line());
        }
        return address;
    }

    private static void tag(Resource resource, String profile, String origin) {
        resource.getMeta().addProfile(PROFILE_BASE + profile);
        resource.getMeta().addTag(ORIGIN, origin, null);
    }
}

package de.tim.simulators.seed;

import java.util.List;

/**
 * The seed file: organisations (with domains, KIM address, SMC-B identity, healthcare services and their Endpoints)
 * and practitioners (with HBA identity and MXIDs). JSON, lists may be omitted.
 */
public record SeedData(List<Organization> organizations, List<Practitioner> practitioners) {

    public SeedData {
        organizations = organizations == null ? List.of() : List.copyOf(organizations);
        practitioners = practitioners == null ? List.of() : List.copyOf(practitioners);
    }

    /** An organisation (SMC-B holder). */
    public record Organization(String id, String telematikId, String name, List<String> alias, String professionOid,
                               Boolean active, String kimAddress, Address address, List<Domain> domains,
                               List<HealthcareService> healthcareServices, String smcbIdentity) {
        public Organization {
            alias = alias == null ? List.of() : List.copyOf(alias);
            domains = domains == null ? List.of() : List.copyOf(domains);
            healthcareServices = healthcareServices == null ? List.of() : List.copyOf(healthcareServices);
        }
    }

    /** A postal address (also used as Location). */
    public record Address(String line, String postalCode, String city, String state) {
    }

    /** A federation list entry of the organisation. */
    public record Domain(String domain, String timProvider, Boolean isInsurance) {
    }

    /** A HealthcareService of the organisation with its TI-Messenger Endpoints. */
    public record HealthcareService(String id, String name, List<MatrixEndpoint> endpoints) {
        public HealthcareService {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }

    /** A TI-Messenger Endpoint: an MXID. */
    public record MatrixEndpoint(String id, String mxid, String name) {
    }

    /** A practitioner (HBA holder) working at an organisation. */
    public record Practitioner(String id, String telematikId, String givenName, String familyName, String prefix,
                               String professionOid, String organizationId, List<MatrixEndpoint> endpoints,
                               String hbaIdentity) {
        public Practitioner {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }
}

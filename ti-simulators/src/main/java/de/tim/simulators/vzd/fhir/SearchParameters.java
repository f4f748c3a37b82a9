package de.tim.simulators.vzd.fhir;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The search parameters the simulator understands per resource type (a subset of FHIR R4's, the ones TI-Messenger
 * clients use), as value extractors. String parameters match case-insensitively by prefix ({@code :contains},
 * {@code :exact} supported), token parameters by {@code [system|]code}, references by {@code [Type/]id}.
 */
final class SearchParameters {

    enum Kind { STRING, TOKEN, REFERENCE, URI }

    /** A search parameter: its kind and how to read its values from a resource. */
    record Parameter(Kind kind, String targetType, Function<Resource, List<?>> values) {
    }

    static final List<String> TYPES = List.of("Organization", "HealthcareService", "Endpoint", "Location",
            "Practitioner", "PractitionerRole");

    private static final Map<String, Map<String, Parameter>> PARAMETERS = Map.of(
            "Organization", Map.of(
                    "_id", id(),
                    "identifier", token(r -> ((Organization) r).getIdentifier()),
                    "name", string(r -> concat(List.of(((Organization) r).getName()), ((Organization) r).getAlias())),
                    "active", token(r -> List.of(String.valueOf(((Organization) r).getActive()))),
                    "type", token(r -> ((Organization) r).getType()),
                    "address", string(r -> addressStrings(((Organization) r).getAddress())),
                    "address-city", string(r -> ((Organization) r).getAddress().stream().map(Address::getCity).toList()),
                    "address-postalcode", string(r -> ((Organization) r).getAddress().stream().map(Address::getPostalCode).toList())),
            "Practitioner", Map.of(
                    "_id", id(),
                    "identifier", token(r -> ((Practitioner) r).getIdentifier()),
                    "name", string(r -> names(((Practitioner) r).getName())),
                    "family", string(r -> ((Practitioner) r).getName().stream().map(HumanName::getFamily).toList()),
                    "given", string(r -> ((Practitioner) r).getName().stream().flatMap(n -> n.getGiven().stream()).map(Object::toString).toList()),
                    "active", token(r -> List.of(String.valueOf(((Practitioner) r).getActive()))),
                    "qualification", token(r -> ((Practitioner) r).getQualification().stream().map(q -> q.getCode()).toList())),
            "Endpoint", Map.of(
                    "_id", id(),
                    "address", new Parameter(Kind.URI, null, r -> List.of(((Endpoint) r).getAddress())),
                    "name", string(r -> List.of(((Endpoint) r).getName())),
                    "status", token(r -> List.of(((Endpoint) r).getStatus() == null ? "" : ((Endpoint) r).getStatus().toCode())),
                    "connection-type", token(r -> List.of(((Endpoint) r).getConnectionType())),
                    "payload-type", token(r -> ((Endpoint) r).getPayloadType()),
                    "organization", reference("Organization", r -> List.of(((Endpoint) r).getManagingOrganization()))),
            "HealthcareService", Map.of(
                    "_id", id(),
                    "identifier", token(r -> ((HealthcareService) r).getIdentifier()),
                    "name", string(r -> List.of(((HealthcareService) r).getName())),
                    "active", token(r -> List.of(String.valueOf(((HealthcareService) r).getActive()))),
                    "organization", reference("Organization", r -> List.of(((HealthcareService) r).getProvidedBy())),
                    "endpoint", reference("Endpoint", r -> ((HealthcareService) r).getEndpoint()),
                    "location", reference("Location", r -> ((HealthcareService) r).getLocation())),
            "Location", Map.of(
                    "_id", id(),
                    "name", string(r -> List.of(((Location) r).getName())),
                    "address", string(r -> addressStrings(List.of(((Location) r).getAddress()))),
                    "address-city", string(r -> List.of(((Location) r).getAddress().getCity())),
                    "address-postalcode", string(r -> List.of(((Location) r).getAddress().getPostalCode())),
                    "organization", reference("Organization", r -> List.of(((Location) r).getManagingOrganization()))),
            "PractitionerRole", Map.of(
                    "_id", id(),
                    "identifier", token(r -> ((PractitionerRole) r).getIdentifier()),
                    "practitioner", reference("Practitioner", r -> List.of(((PractitionerRole) r).getPractitioner())),
                    "organization", reference("Organization", r -> List.of(((PractitionerRole) r).getOrganization())),
                    "endpoint", reference("Endpoint", r -> ((PractitionerRole) r).getEndpoint()),
                    "location", reference("Location", r -> ((PractitionerRole) r).getLocation())));

    private SearchParameters() {
    }

    static Optional<Parameter> find(String type, String name) {
        return Optional.ofNullable(PARAMETERS.getOrDefault(type, Map.of()).get(name));
    }

    /** The reference parameters of a type (for {@code _include=*}). */
    static Map<String, Parameter> references(String type) {
        Map<String, Parameter> result = new java.util.TreeMap<>();
        PARAMETERS.getOrDefault(type, Map.of()).forEach((name, p) -> {
            if (p.kind() == Kind.REFERENCE) {
                result.put(name, p);
            }
        });
        return result;
    }

    /** Whether one value of the resource matches one search value. */
    static boolean matches(Parameter parameter, Object value, String search, String modifier) {
        if (value == null) {
            return false;
        }
        return switch (parameter.kind()) {
            case STRING -> {
                String v = value.toString().toLowerCase(Locale.ROOT);
                String s = search.toLowerCase(Locale.ROOT);
                yield "contains".equals(modifier) ? v.contains(s)
                        : "exact".equals(modifier) ? value.toString().equals(search) : v.startsWith(s);
            }
            case URI -> EndpointAddresses.same(value.toString(), search);
            case REFERENCE -> {
                String reference = ((Reference) value).getReference();
                yield reference != null && (reference.equals(search) || reference.endsWith("/" + search));
            }
            case TOKEN -> token(value, search, modifier);
        };
    }

    private static boolean token(Object value, String search, String modifier) {
        String system = null;
        String code = search;
        int bar = search.indexOf('|');
        if (bar >= 0) {
            system = search.substring(0, bar);
            code = search.substring(bar + 1);
        }
        if (value instanceof Identifier identifier) {
            return (system == null || system.equals(identifier.getSystem())) && code.equals(identifier.getValue());
        }
        if (value instanceof CodeableConcept concept) {
            if ("text".equals(modifier)) {
                String s = search.toLowerCase(Locale.ROOT);
                return (concept.getText() != null && concept.getText().toLowerCase(Locale.ROOT).contains(s))
                        || concept.getCoding().stream().anyMatch(c -> c.getDisplay() != null && c.getDisplay().toLowerCase(Locale.ROOT).contains(s));
            }
            for (Coding coding : concept.getCoding()) {
                if (token(coding, search, modifier)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Coding coding) {
            return (system == null || system.equals(coding.getSystem())) && code.equals(coding.getCode());
        }
        return code.equalsIgnoreCase(value.toString());
    }

    private static Parameter id() {
        return new Parameter(Kind.TOKEN, null, r -> List.of(r.getIdElement().getIdPart()));
    }

    private static Parameter string(Function<Resource, List<?>> values) {
        return new Parameter(Kind.STRING, null, values);
    }

    private static Parameter token(Function<Resource, List<?>> values) {
        return new Parameter(Kind.TOKEN, null, values);
    }

    private static Parameter reference(String target, Function<Resource, List<?>> values) {
        return new Parameter(Kind.REFERENCE, target, values);
    }

    private static List<Object> concat(List<?> a, List<?> b) {
        List<Object> result = new java.util.ArrayList<>(a);
        b.forEach(x -> result.add(x.toString()));
        return result;
    }

    private static List<String> names(List<HumanName> names) {
        List<String> result = new java.util.ArrayList<>();
        for (HumanName name : names) {
            if (name.hasText()) {
                result.add(name.getText());
            }
            if (name.hasFamily()) {
                result.add(name.getFamily());
            }
            name.getGiven().forEach(g -> result.add(g.toString()));
        }
        return result;
    }

    private static List<String> addressStrings(List<Address> addresses) {
        List<String> result = new java.util.ArrayList<>();
        for (Address address : addresses) {
            address.getLine().forEach(l -> result.add(l.toString()));
            result.add(address.getCity());
            result.add(address.getPostalCode());
            result.add(address.getState());
            result.add(address.getText());
        }
        result.removeIf(java.util.Objects::isNull);
        return result;
    }
}

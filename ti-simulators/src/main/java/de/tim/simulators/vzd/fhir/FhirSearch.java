package de.tim.simulators.vzd.fhir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;

/**
 * Searches the directory: plain and chained parameters ({@code organization.active=true},
 * {@code endpoint.address=@a:b}), comma-separated OR values, repeated parameters ANDed, {@code _include}
 * ({@code Type:param} or {@code *}), {@code _count}, {@code _summary=count}.
 */
@Component
public class FhirSearch {

    private static final Set<String> IGNORED = Set.of("_format", "_pretty", "_total");
    private static final int DEFAULT_COUNT = 100;

    private final FhirDirectory directory;

    public FhirSearch(FhirDirectory directory) {
        this.directory = directory;
    }

    public Bundle search(String type, MultiValueMap<String, String> parameters, String fullUrlBase) {
        return search(type, parameters, fullUrlBase, false);
    }

    /** Searches as an insured person ({@code insuredPerson}) or not: see {@link EndpointVisibility}. */
    public Bundle search(String type, MultiValueMap<String, String> parameters, String fullUrlBase, boolean insuredPerson) {
        requireType(type);
        int count = DEFAULT_COUNT;
        boolean summaryCount = false;
        List<String> includes = new ArrayList<>();
        List<Resource> matches = new ArrayList<>(directory.all(type));
        matches.removeIf(r -> !EndpointVisibility.visible(r, insuredPerson));
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            String name = entry.getKey();
            if (IGNORED.contains(name)) {
                continue;
            }
            if (name.equals("_count")) {
                count = parseCount(entry.getValue().getFirst());
                continue;
            }
            if (name.equals("_summary")) {
                summaryCount = "count".equals(entry.getValue().getFirst());
                continue;
            }
            if (name.equals("_include")) {
                includes.addAll(entry.getValue());
                continue;
            }
            for (String value : entry.getValue()) {
                List<String> alternatives = List.of(value.split(","));
                matches.removeIf(r -> alternatives.stream().noneMatch(v -> matches(type, r, name, v)));
            }
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(matches.size());
        if (summaryCount) {
            return bundle;
        }
        List<Resource> page = matches.subList(0, Math.min(count, matches.size()));
        Map<String, Resource> included = new LinkedHashMap<>();
        for (Resource match : page) {
            bundle.addEntry().setFullUrl(fullUrlBase + "/" + type + "/" + match.getIdElement().getIdPart())
                    .setResource(match).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
            for (String include : includes) {
                include(type, match, include).stream().filter(r -> EndpointVisibility.visible(r, insuredPerson))
                        .forEach(r -> included.putIfAbsent(key(r), r));
            }
        }
        page.forEach(r -> included.remove(key(r)));
        included.values().forEach(r -> bundle.addEntry()
                .setFullUrl(fullUrlBase + "/" + r.fhirType() + "/" + r.getIdElement().getIdPart())
                .setResource(r).getSearch().setMode(Bundle.SearchEntryMode.INCLUDE));
        return bundle;
    }

    public static void requireType(String type) {
        if (!SearchParameters.TYPES.contains(type)) {
            throw FhirException.invalid("unsupported resource type " + type + "; supported: " + SearchParameters.TYPES);
        }
    }

    private boolean matches(String type, Resource resource, String rawName, String value) {
        String name = rawName;
        String modifier = null;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            modifier = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        int dot = name.indexOf('.');
        if (dot >= 0) {
            String referenceName = name.substring(0, dot);
            String chained = name.substring(dot + 1) + (modifier == null ? "" : ":" + modifier);
            SearchParameters.Parameter reference = SearchParameters.find(type, referenceName)
                    .filter(p -> p.kind() == SearchParameters.Kind.REFERENCE)
                    .orElseThrow(() -> FhirException.invalid("unknown chained search parameter " + rawName + " for " + type));
            for (Resource target : resolve(reference, resource)) {
                if (matches(target.fhirType(), target, chained, value)) {
                    return true;
                }
            }
            return false;
        }
        String finalModifier = modifier;
        SearchParameters.Parameter parameter = SearchParameters.find(type, name)
                .orElseThrow(() -> FhirException.invalid("unknown search parameter " + rawName + " for " + type));
        return parameter.values().apply(resource).stream()
                .anyMatch(v -> SearchParameters.matches(parameter, v, value, finalModifier));
    }

    private List<Resource> include(String type, Resource resource, String include) {
        if (include.equals("*")) {
            List<Resource> result = new ArrayList<>();
            SearchParameters.references(type).values().forEach(p -> result.addAll(resolve(p, resource)));
            return result;
        }
        String[] parts = include.split(":");
        if (parts.length < 2) {
            throw FhirException.invalid("_include must be Type:parameter or *");
        }
        if (!parts[0].equals(type)) {
            return List.of();
        }
        SearchParameters.Parameter parameter = SearchParameters.find(type, parts[1])
                .filter(p -> p.kind() == SearchParameters.Kind.REFERENCE)
                .orElseThrow(() -> FhirException.invalid("_include " + include + " is not a reference parameter of " + type));
        return resolve(parameter, resource);
    }

    private List<Resource> resolve(SearchParameters.Parameter reference, Resource resource) {
        List<Resource> result = new ArrayList<>();
        for (Object value : reference.values().apply(resource)) {
            if (value instanceof Reference ref && ref.getReference() != null) {
                String[] parts = ref.getReference().split("/");
                if (parts.length == 2 && parts[0].equals(reference.targetType())) {
                    directory.get(parts[0], parts[1]).ifPresent(result::add);
                }
            }
        }
        return result;
    }

    private static int parseCount(String value) {
        try {
            int count = Integer.parseInt(value);
            if (count < 0) {
                throw FhirException.invalid("_count must not be negative");
            }
            return count;
        } catch (NumberFormatException e) {
            throw FhirException.invalid("_count must be an integer");
        }
    }

    private static String key(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }
}

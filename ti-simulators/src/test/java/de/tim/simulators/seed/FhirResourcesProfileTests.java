package de.tim.simulators.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import de.tim.simulators.vzd.fhir.VzdProfileValidator;

/** The seed data's FHIR resources validate with HAPI against the VZD profiles (gematik api-vzd fsh-generated). */
class FhirResourcesProfileTests {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final VzdProfileValidator VALIDATOR = new VzdProfileValidator(FHIR);

    @Test
    void seededResourcesConformToTheVzdProfiles() throws IOException {
        SeedData seed;
        try (InputStream in = getClass().getResourceAsStream("/seed/tim-local-seed.json")) {
            seed = new ObjectMapper().readValue(in, SeedData.class);
        }
        List<Resource> resources = new ArrayList<>();
        seed.organizations().forEach(o -> resources.addAll(FhirResources.organization(o)));
        seed.practitioners().forEach(p -> resources.addAll(FhirResources.practitioner(p)));
        assertThat(resources).extracting(Resource::fhirType).contains("Organization", "HealthcareService", "Endpoint",
                "Location", "Practitioner", "PractitionerRole");
        List<String> errors = new ArrayList<>();
        for (Resource resource : resources) {
            assertThat(resource.getMeta().getProfile()).hasSize(1);
            VALIDATOR.errors(resource).forEach(m -> errors.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart() + ": " + m));
        }
        assertThat(errors).isEmpty();
        assertThat(resources).filteredOn(r -> r instanceof org.hl7.fhir.r4.model.Organization || r instanceof org.hl7.fhir.r4.model.Practitioner)
                .allSatisfy(r -> assertThat(FHIR.newTerser().getValues(r, "identifier.system"))
                        .extracting(Object::toString).anySatisfy(system -> assertThat(system).contains("https://gematik.de/fhir/sid/telematik-id")));
    }
}

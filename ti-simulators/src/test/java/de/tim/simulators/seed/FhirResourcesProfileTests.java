package de.tim.simulators.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;

/** The seed data's FHIR resources validate with HAPI against the VZD profiles (gematik api-vzd fsh-generated). */
class FhirResourcesProfileTests {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirValidator validator;

    @BeforeAll
    static void validator() throws IOException {
        PrePopulatedValidationSupport vzd = new PrePopulatedValidationSupport(FHIR);
        for (var file : new PathMatchingResourcePatternResolver().getResources("classpath:/contracts/fhir/*.json")) {
            try (InputStream in = file.getInputStream()) {
                IBaseResource resource = FHIR.newJsonParser().parseResource(in);
                vzd.addResource(resource);
            }
        }
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR), vzd,
                new CommonCodeSystemsTerminologyService(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        validator = FHIR.newValidator().registerValidatorModule(instanceValidator);
    }

    /**
     * The profiles slice identifiers by de.basisprofil-r4 profiles (http://fhir.de/StructureDefinition/identifier-*),
     * a package that is not available offline here; the validator reports it cannot evaluate those slices. The
     * telematikID itself is asserted separately.
     */
    private static boolean unresolvableBasisprofil(SingleValidationMessage message) {
        return "SLICING_CANNOT_BE_EVALUATED".equals(message.getMessageId())
                && message.getMessage().contains("http://fhir.de/StructureDefinition/identifier-");
    }

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
            ValidationResult result = validator.validateWithResult(resource);
            result.getMessages().stream()
                    .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                    .filter(m -> !unresolvableBasisprofil(m))
                    .forEach(m -> errors.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart() + ": " + m.getMessage()));
        }
        assertThat(errors).isEmpty();
        assertThat(resources).filteredOn(r -> r instanceof org.hl7.fhir.r4.model.Organization || r instanceof org.hl7.fhir.r4.model.Practitioner)
                .allSatisfy(r -> assertThat(FHIR.newTerser().getValues(r, "identifier.system"))
                        .extracting(Object::toString).anySatisfy(system -> assertThat(system).contains("https://gematik.de/fhir/sid/telematik-id")));
    }
}

package de.tim.simulators.vzd.fhir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;

/**
 * Validates resources with HAPI's instance validator against the VZD profiles (gematik api-vzd fsh-generated
 * StructureDefinitions, CodeSystems, ValueSets in {@code classpath:/vzd/profiles/}). Built lazily on first use (it
 * takes seconds); thread-safe afterwards.
 */
public class VzdProfileValidator {

    private final FhirContext context;
    private volatile FhirValidator validator;

    public VzdProfileValidator(FhirContext context) {
        this.context = context;
    }

    /** Error messages (empty when the resource conforms). */
    public List<String> errors(Resource resource) {
        return validator().validateWithResult(resource).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .filter(m -> !unresolvableBasisprofil(m))
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    /**
     * The profiles slice identifiers by de.basisprofil-r4 profiles (http://fhir.de/StructureDefinition/identifier-*),
     * a package that is not available offline; the validator only reports that it cannot evaluate those slices.
     */
    static boolean unresolvableBasisprofil(SingleValidationMessage message) {
        return "SLICING_CANNOT_BE_EVALUATED".equals(message.getMessageId())
                && message.getMessage().contains("http://fhir.de/StructureDefinition/identifier-");
    }

    private FhirValidator validator() {
        FhirValidator current = validator;
        if (current == null) {
            synchronized (this) {
                current = validator;
                if (current == null) {
                    current = create();
                    validator = current;
                }
            }
        }
        return current;
    }

    private FhirValidator create() {
        PrePopulatedValidationSupport vzd = new PrePopulatedValidationSupport(context);
        try {
            for (var file : new PathMatchingResourcePatternResolver().getResources("classpath:/vzd/profiles/*.json")) {
                try (InputStream in = file.getInputStream()) {
                    vzd.addResource(context.newJsonParser().parseResource(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the VZD profiles", e);
        }
        ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(context), vzd,
                new CommonCodeSystemsTerminologyService(context), new InMemoryTerminologyServerValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context));
        return context.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }
}

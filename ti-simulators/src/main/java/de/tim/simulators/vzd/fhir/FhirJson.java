package de.tim.simulators.vzd.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;

/** HAPI's R4 JSON parser, and responses in {@code application/fhir+json}. */
@Component
public class FhirJson {

    public static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json;charset=UTF-8");

    private final FhirContext context = FhirContext.forR4Cached();

    public FhirContext context() {
        return context;
    }

    public String encode(IBaseResource resource) {
        return context.newJsonParser().encodeResourceToString(resource);
    }

    /** Parses a resource of the expected type, or 400. */
    public Resource parse(String body, String expectedType) {
        if (body == null || body.isBlank()) {
            throw FhirException.invalid("request body is required");
        }
        IBaseResource parsed;
        try {
            parsed = context.newJsonParser().parseResource(body);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw FhirException.invalid("request body is not a FHIR R4 JSON resource");
        }
        if (!(parsed instanceof Resource resource) || !resource.fhirType().equals(expectedType)) {
            throw FhirException.invalid("request body must be a " + expectedType);
        }
        return resource;
    }

    public ResponseEntity<String> response(HttpStatus status, IBaseResource resource) {
        return ResponseEntity.status(status).contentType(FHIR_JSON).body(encode(resource));
    }

    public ResponseEntity<String> outcome(FhirException e) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.fromCode(e.issueCode())).setDiagnostics(e.getMessage());
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(FHIR_JSON);
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            builder.header("WWW-Authenticate", "Bearer realm=\"VZD-FHIR-Directory\"");
        }
        return builder.body(encode(outcome));
    }
}

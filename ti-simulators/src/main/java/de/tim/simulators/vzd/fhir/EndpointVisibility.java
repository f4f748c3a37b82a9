package de.tim.simulators.vzd.fhir;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Resource;

/**
 * Endpoint visibility ("hide-versicherte"): an Endpoint carrying the EndpointVisibility extension with that code is not
 * shown to insured persons (users of a domain with {@code isInsurance=true} on the federation list). The extension
 * comes from later releases of the VZD profiles (TI-M Pro V2, test driver operation setEndpointVisibility); the
 * profiles stored with this version define none, so only the extension's URL and code are used here.
 */
public final class EndpointVisibility {

    public static final String EXTENSION_URL = "https://gematik.de/fhir/directory/StructureDefinition/EndpointVisibility";
    public static final String HIDE_VERSICHERTE = "hide-versicherte";

    private EndpointVisibility() {
    }

    /** Whether a searcher who is (or is not) an insured person may see the resource. */
    public static boolean visible(Resource resource, boolean insuredPerson) {
        if (!insuredPerson || !(resource instanceof Endpoint endpoint)) {
            return true;
        }
        for (Extension extension : endpoint.getExtensionsByUrl(EXTENSION_URL)) {
            if (extension.getValue() instanceof Coding coding && HIDE_VERSICHERTE.equals(coding.getCode())) {
                return false;
            }
        }
        return true;
    }
}

package de.tim.routes.vzdowner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;

/** One R4 {@link FhirContext} for every Camel FHIR endpoint (creating one scans the whole model). */
@Configuration(proxyBeanMethods = false)
public class VzdOwnerConfiguration {

    @Bean("timFhirContext")
    FhirContext timFhirContext() {
        return FhirContext.forR4Cached();
    }
}

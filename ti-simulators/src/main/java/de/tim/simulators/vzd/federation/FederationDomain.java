package de.tim.simulators.vzd.federation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A domain of the federation list (FederationList.json {@code domainList} item). */
public record FederationDomain(
        @JsonProperty("domain") String domain,
        @JsonProperty("telematikID") String telematikID,
        @JsonProperty("isInsurance") boolean isInsurance,
        @JsonProperty("timProvider") String timProvider) {

    /** The OpenAPI {@code Domain} view (without timProvider). */
    public DomainDto toDto() {
        return new DomainDto(domain, telematikID, isInsurance);
    }
}

package de.tim.simulators.vzd.federation;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code Domain} schema of I_VZD_TIM_Provider_Services; {@code isInsurance} defaults to false. */
public record DomainDto(
        @JsonProperty("domain") String domain,
        @JsonProperty("telematikID") String telematikID,
        @JsonProperty("isInsurance") Boolean isInsurance) {
}

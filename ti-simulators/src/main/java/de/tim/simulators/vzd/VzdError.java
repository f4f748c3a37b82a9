package de.tim.simulators.vzd;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The {@code Error} schema of I_VZD_TIM_Provider_Services. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VzdError(String message, List<InnerError> errors) {

    /** The {@code InnerError} schema. */
    public record InnerError(String attributeName, String attributeError) {
    }
}

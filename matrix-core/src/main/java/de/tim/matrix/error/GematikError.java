package de.tim.matrix.error;

import java.util.Objects;

/**
 * The {@code Error} object of gematik's TI-Messenger REST APIs (e.g. TiMessengerContactManagement.yaml):
 * {@code {"errorCode": "...", "errorMessage": "..."}}.
 */
public record GematikError(String errorCode, String errorMessage) {

    public GematikError {
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }
}

package de.tim.routes.error;

/** The error object of this service's REST APIs (shape of the gematik {@code Error}: errorCode, errorMessage). */
public record ApiError(String errorCode, String errorMessage) {
}

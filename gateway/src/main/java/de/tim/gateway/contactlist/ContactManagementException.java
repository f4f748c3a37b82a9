package de.tim.gateway.contactlist;

import de.tim.matrix.error.GematikError;

/** A refusal of the contact management API, answered with its OpenAPI {@code Error} object. */
class ContactManagementException extends RuntimeException {

    private final int status;
    private final String errorCode;

    ContactManagementException(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    static ContactManagementException badRequest(String message) {
        return new ContactManagementException(400, "BAD_REQUEST", message);
    }

    static ContactManagementException unauthorized(String message) {
        return new ContactManagementException(401, "UNAUTHORIZED", message);
    }

    static ContactManagementException notFound(String message) {
        return new ContactManagementException(404, "NOT_FOUND", message);
    }

    static ContactManagementException conflict(String message) {
        return new ContactManagementException(409, "CONFLICT", message);
    }

    int status() {
        return status;
    }

    GematikError body() {
        return new GematikError(errorCode, getMessage());
    }
}

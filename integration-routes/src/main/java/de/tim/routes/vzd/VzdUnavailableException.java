package de.tim.routes.vzd;

/** The VZD could not be asked or answered with an error; the message carries no token and no personal data. */
public class VzdUnavailableException extends RuntimeException {

    private final int status;

    public VzdUnavailableException(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    /** HTTP status the VZD answered with, or 0 when it was not reachable. */
    public int status() {
        return status;
    }
}

package de.tim.homeserver.federation.client;

import de.tim.matrix.error.MatrixException;

/**
 * An outbound federation request failed. {@link #status()} is the remote server's HTTP status, or 0 if
 * no answer arrived (egress unreachable, timeout, unparsable answer); {@link #errcode()} the remote Matrix
 * error code if it sent one.
 */
public class FederationException extends RuntimeException {

    private final String destination;
    private final int status;
    private final String errcode;

    public FederationException(String destination, int status, String errcode, String message) {
        super(message, null, false, false);
        this.destination = destination;
        this.status = status;
        this.errcode = errcode;
    }

    public String destination() {
        return destination;
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }

    /** Whether the remote server answered with this status. */
    public boolean isStatus(int expected) {
        return status == expected;
    }

    /** Whether the destination could not be reached or answered with a server error (worth retrying). */
    public boolean isUnavailable() {
        return status == 0 || status >= 500 || status == 429;
    }

    /**
     * The error to show a local client that triggered the request: the remote's own 4xx Matrix error
     * passes through; anything else becomes 502 {@code M_UNKNOWN} (the remote is unreachable or broken).
     */
    public MatrixException toClientError() {
        if (status >= 400 && status < 500 && errcode != null && status != 401 && status != 429) {
            return new MatrixException(status, errcode, "Remote server " + destination + " refused: " + getMessage());
        }
        return MatrixException.unknown(502, "Remote server " + destination + " is not reachable");
    }
}

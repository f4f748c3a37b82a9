package de.tim.crypto.jws;

/** A JWS or JWT failed verification; the message says why (safe to log: it never contains the token). */
public class JwsVerificationException extends Exception {

    public JwsVerificationException(String message) {
        super(message);
    }

    public JwsVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}

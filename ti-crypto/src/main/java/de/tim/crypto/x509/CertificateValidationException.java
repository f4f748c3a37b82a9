package de.tim.crypto.x509;

/** A certificate chain did not validate to a trust anchor (or a certificate lacks a required property). */
public class CertificateValidationException extends Exception {

    public CertificateValidationException(String message) {
        super(message);
    }

    public CertificateValidationException(String message, Throwable cause) {
        super(message, cause);
    }
}

package de.tim.matrix.json;

/** JSON that Matrix does not accept: malformed, duplicate keys, or a value canonical JSON cannot encode. */
public class InvalidJsonException extends IllegalArgumentException {

    public InvalidJsonException(String message) {
        super(message);
    }

    public InvalidJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}

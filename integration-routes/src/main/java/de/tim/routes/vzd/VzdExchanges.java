package de.tim.routes.vzd;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/** Reads the outcome of a VZD route exchange. */
public final class VzdExchanges {

    private VzdExchanges() {
    }

    /** The HTTP status of a failed exchange (0: not reachable), or -1 when the exchange succeeded. */
    public static int failedStatus(Exchange exchange) {
        Exception exception = exchange.getException();
        if (exception == null) {
            return -1;
        }
        HttpOperationFailedException failed = exchange.getException(HttpOperationFailedException.class);
        return failed != null ? failed.getStatusCode() : 0;
    }

    public static int status(Exchange exchange) {
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return code == null ? 0 : code;
    }

    /** Throws the clear error state for a failed exchange. */
    public static VzdUnavailableException failure(String operation, Exchange exchange) {
        int status = failedStatus(exchange);
        String cause = status == 0 ? "unreachable (" + exchange.getException().getClass().getSimpleName() + ")"
                : "answered " + status;
        return new VzdUnavailableException("VZD " + operation + " failed: " + cause, status);
    }
}

package de.tim.homeserver.http;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Closes the connection of a request whose handler failed after the response was committed (status and part of
 * the body sent, e.g. a streamed remote download cut at the size limit): no error body can be written any more, and
 * finishing the response normally would let the client take a truncated body for a complete one. The
 * {@link MatrixExceptionAdvice} marks such a request ({@link #abort}); after the chain this filter throws Tomcat's
 * {@link ClientAbortException}, which the container handles without logging (DEBUG) by closing the connection
 * at once instead of ending the chunked body. Outermost filter, so no other filter sees the exception.
 */
public class CommittedResponseFilter extends OncePerRequestFilter {

    static final String ABORT = CommittedResponseFilter.class.getName() + ".abort";

    /** Marks the request: its committed response is to be cut off. */
    static void abort(ServletRequest request) {
        request.setAttribute(ABORT, Boolean.TRUE);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, response);
        if (Boolean.TRUE.equals(request.getAttribute(ABORT)) && response.isCommitted()) {
            throw new ClientAbortException(new IOException("Handler failed after the response was committed"));
        }
    }
}

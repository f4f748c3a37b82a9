package de.tim.homeserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import de.tim.matrix.error.MatrixException;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** {@link MatrixExceptionAdvice} and {@link CommittedResponseFilter} with a response that is or is not committed. */
class CommittedResponseTests {

    private final MatrixExceptionAdvice advice = new MatrixExceptionAdvice();

    @Test
    void anUncommittedResponseGetsTheMatrixError() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        var answer = advice.matrix(new MatrixException(502, "M_TOO_LARGE", "too large"), request,
                new MockHttpServletResponse());
        assertThat(answer.getStatusCode().value()).isEqualTo(502);
        assertThat(answer.getBody()).containsEntry("errcode", "M_TOO_LARGE");
        assertThat(request.getAttribute(CommittedResponseFilter.ABORT)).isNull();
    }

    @Test
    void aCommittedResponseGetsNoBodyAndIsMarkedForAbort() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest();
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.getOutputStream().write(new byte[] {1, 2, 3});
        response.flushBuffer();
        assertThat(response.isCommitted()).isTrue();

        assertThat(advice.matrix(new MatrixException(502, "M_TOO_LARGE", "too large"), request, response)).isNull();
        assertThat(response.getContentAsByteArray()).containsExactly(1, 2, 3);
        assertThat(request.getAttribute(CommittedResponseFilter.ABORT)).isEqualTo(Boolean.TRUE);

        MockHttpServletRequest other = new MockHttpServletRequest();
        assertThat(advice.unexpected(new IllegalStateException("boom"), other, response)).isNull();
        assertThat(other.getAttribute(CommittedResponseFilter.ABORT)).isEqualTo(Boolean.TRUE);
        assertThat(response.getContentAsByteArray()).containsExactly(1, 2, 3);
    }

    @Test
    void theFilterCutsOnlyMarkedCommittedResponses() {
        CommittedResponseFilter filter = new CommittedResponseFilter();
        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
                (req, res) -> {
                    res.getOutputStream().write(1);
                    res.flushBuffer();
                    CommittedResponseFilter.abort(req);
                })).isInstanceOf(ClientAbortException.class).hasCauseInstanceOf(IOException.class);
        // marked but not committed (nothing was sent): the error body is written normally
        assertThatNoException().isThrownBy(() -> filter.doFilter(new MockHttpServletRequest(),
                new MockHttpServletResponse(), (req, res) -> CommittedResponseFilter.abort(req)));
        // committed but not marked: a normal response
        assertThatNoException().isThrownBy(() -> filter.doFilter(new MockHttpServletRequest(),
                new MockHttpServletResponse(), (req, res) -> res.flushBuffer()));
    }
}

package de.tim.matrix.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MatrixExceptionTests {

    @Test
    void bodyStartsWithErrcodeAndErrorAndCarriesExtras() throws Exception {
        MatrixException e = MatrixException.limitExceeded(1500);
        String json = new ObjectMapper().writeValueAsString(e.body());
        assertThat(json).isEqualTo("{\"errcode\":\"M_LIMIT_EXCEEDED\",\"error\":\"Too many requests\",\"retry_after_ms\":1500}");
        assertThat(e.status()).isEqualTo(429);
    }

    @Test
    void factoriesUseTheSpecStatuses() {
        assertThat(List.of(MatrixException.forbidden("x"), MatrixException.notFound("x"), MatrixException.missingToken(),
                MatrixException.unknownToken(false), MatrixException.badJson("x"), MatrixException.notJson("x"),
                MatrixException.tooLarge("x"), MatrixException.unsupportedRoomVersion("99")))
                .extracting(MatrixException::status)
                .containsExactly(403, 404, 401, 401, 400, 400, 413, 400);
        assertThat(MatrixException.unknownToken(true).body()).containsEntry("soft_logout", true);
    }

    @Test
    void noStackTraceIsCapturedForClientErrors() {
        assertThat(MatrixException.forbidden("x").getStackTrace()).isEmpty();
    }
}

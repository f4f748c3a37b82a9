package de.tim.homeserver.auth;

import static org.assertj.core.api.Assertions.assertThat;

import de.tim.homeserver.HomeserverIntegrationTest;
import de.tim.homeserver.MatrixTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = {
        HomeserverIntegrationTest.NO_PUSH_EVALUATION,
        "tim.homeserver.rate-limit.login.per-second=0.001", "tim.homeserver.rate-limit.login.burst-count=3",
        "tim.homeserver.rate-limit.registration.per-second=0.001", "tim.homeserver.rate-limit.registration.burst-count=2"})
class RateLimitIntegrationTests extends HomeserverIntegrationTest {

    @Test
    void loginIsRateLimitedPerDomain() {
        for (int i = 0; i < 3; i++) {
            assertThat(login(a(), "nobody", "x").status()).isEqualTo(403);
        }
        MatrixTestClient.Response limited = login(a(), "nobody", "x");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errcode()).isEqualTo("M_LIMIT_EXCEEDED");
        assertThat(limited.body().path("retry_after_ms").asLong()).isPositive();
        assertThat(login(b(), "nobody", "x").status()).isEqualTo(403);
    }

    @Test
    void registrationIsRateLimited() {
        MatrixTestClient client = a().withHeader("X-Test", "reg");
        int status = 0;
        for (int i = 0; i < 3; i++) {
            status = client.get("/_matrix/client/v3/register/available?username=free" + i, null).status();
        }
        assertThat(status).isEqualTo(429);
    }
}

package de.tim.routes.vzd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Caching and renewal of the two VZD tokens, with the token routes answered by in-memory routes. */
class ProviderTokensTests {

    private final AtomicInteger oauthCalls = new AtomicInteger();
    private final AtomicInteger authenticateCalls = new AtomicInteger();
    private final AtomicInteger rejectAuthenticate = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private DefaultCamelContext camel;

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(VzdRoutes.OAUTH_TOKEN).process(e -> {
                    assertThat(e.getIn().getBody(String.class)).contains("grant_type=client_credentials").contains("client_id=c");
                    e.getMessage().setBody("{\"access_token\":\"ti-" + oauthCalls.incrementAndGet() + "\",\"expires_in\":300}");
                });
                from(VzdRoutes.PROVIDER_AUTHENTICATE).process(e -> {
                    int call = authenticateCalls.incrementAndGet();
                    if (rejectAuthenticate.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new HttpOperationFailedException("http://vzd/ti-provider-authenticate", 401, "Unauthorized", null, null, null);
                    }
                    String presented = e.getIn().getHeader("Authorization", String.class);
                    e.getMessage().setBody("{\"access_token\":\"provider-" + call + "-for-" + presented.substring(7) + "\",\"expires_in\":3600}");
                });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private ProviderTokens tokens(String clientId) {
        return new ProviderTokens(camel.createProducerTemplate(),
                new VzdProperties(clientId, "s3cret", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO),
                new ObjectMapper(), clock);
    }

    @Test
    void bothTokensAreCachedUntilShortlyBeforeTheyExpire() {
        ProviderTokens tokens = tokens("c");
        assertThat(tokens.providerToken()).isEqualTo("provider-1-for-ti-1");
        assertThat(tokens.providerToken()).isEqualTo("provider-1-for-ti-1");
        assertThat(oauthCalls).hasValue(1);
        assertThat(authenticateCalls).hasValue(1);

        clock.now = clock.now.plus(Duration.ofSeconds(3600 - 29));
        assertThat(tokens.providerToken()).as("renewed within the margin").isEqualTo("provider-2-for-ti-2");
        assertThat(oauthCalls).as("the ti-provider token had expired too").hasValue(2);
    }

    @Test
    void aRejectedTiProviderTokenIsReplacedOnce() {
        ProviderTokens tokens = tokens("c");
        rejectAuthenticate.set(1);
        assertThat(tokens.providerToken()).as("a new ti-provider token after the 401").isEqualTo("provider-2-for-ti-2");
        rejectAuthenticate.set(2);
        tokens.invalidate("provider-2-for-ti-2");
        assertThatThrownBy(tokens::providerToken).isInstanceOf(VzdUnavailableException.class)
                .hasMessageContaining("answered 401").hasMessageNotContaining("for-ti").hasMessageNotContaining("s3cret");
    }

    @Test
    void invalidateDropsOnlyThatToken() {
        ProviderTokens tokens = tokens("c");
        String first = tokens.providerToken();
        tokens.invalidate("some-other-token");
        assertThat(tokens.providerToken()).isEqualTo(first);
        tokens.invalidate(first);
        assertThat(tokens.providerToken()).isNotEqualTo(first);
        assertThat(oauthCalls).as("the ti-provider token is still valid").hasValue(1);
    }

    @Test
    void missingCredentialsAreAClearErrorWithoutACall() {
        assertThatThrownBy(() -> tokens("").providerToken()).isInstanceOf(VzdUnavailableException.class)
                .hasMessageContaining("not configured");
        assertThat(oauthCalls).hasValue(0);
        assertThat(new VzdProperties("c", "s3cret", Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO).toString())
                .doesNotContain("s3cret");
    }

}

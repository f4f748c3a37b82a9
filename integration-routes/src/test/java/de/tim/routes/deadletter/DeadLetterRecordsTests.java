package de.tim.routes.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import de.tim.kafka.topics.RouteDeadLetterRecord;

class DeadLetterRecordsTests {

    private static Exchange exchange(String query) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/localization");
        exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 2);
        exchange.getMessage().setHeader("Authorization", "Bearer secret-token");
        exchange.getMessage().setBody("client_secret=very-secret");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new HttpOperationFailedException("http://vzd/x?token=abc", 503, "Service Unavailable",
                null, null, "{\"message\":\"secret detail\"}"));
        return exchange;
    }

    @Test
    void keepsWhatAReplayNeedsAndNothingPersonalOrSecret() {
        RouteDeadLetterRecord record = DeadLetterRecords.of(exchange("mxid=matrix%3Auser%2Falice%3Apraxis-a.tim.local"),
                List.of("version", "mxId"), 42L);
        assertThat(record.method()).isEqualTo("GET");
        assertThat(record.path()).isEqualTo("/localization");
        assertThat(record.query()).isNull();
        assertThat(record.queryRedacted()).isTrue();
        assertThat(record.httpStatus()).isEqualTo(503);
        assertThat(record.errorType()).isEqualTo("HttpOperationFailedException");
        assertThat(record.attempts()).isEqualTo(3);
        assertThat(record.failedTs()).isEqualTo(42L);
        assertThat(record.toString()).doesNotContain("alice", "secret", "Bearer", "token=abc");
    }

    @Test
    void allowListedQueriesAreKept() {
        RouteDeadLetterRecord record = DeadLetterRecords.of(exchange("version=7"), List.of("version", "mxId"), 1L);
        assertThat(record.query()).isEqualTo("version=7");
        assertThat(record.queryRedacted()).isFalse();
        assertThat(DeadLetterRecords.allowed("version=7&mxid=x", List.of("version"))).isFalse();
        assertThat(DeadLetterRecords.allowed("mxId=praxis-a.tim.local", List.of("version", "mxId"))).isTrue();
    }
}

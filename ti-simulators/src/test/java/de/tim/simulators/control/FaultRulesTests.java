package de.tim.simulators.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class FaultRulesTests {

    @Test
    void longestPrefixWinsAndLimitedRulesRunOut() {
        FaultRules rules = new FaultRules();
        rules.add(new FaultRules.Fault("/search", 503, Duration.ZERO, 0));
        rules.add(new FaultRules.Fault("/search/Organization", 500, Duration.ZERO, 2));
        assertThat(rules.take("/search/Organization").orElseThrow().status()).isEqualTo(500);
        assertThat(rules.take("/search/Organization").orElseThrow().status()).isEqualTo(500);
        assertThat(rules.take("/search/Organization").orElseThrow().status()).isEqualTo(503);
        assertThat(rules.take("/owner/Organization")).isEmpty();
        rules.clear();
        assertThat(rules.take("/search")).isEmpty();
    }

    @Test
    void rejectsNonsense() {
        FaultRules rules = new FaultRules();
        assertThatThrownBy(() -> rules.add(new FaultRules.Fault("search", 500, Duration.ZERO, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rules.add(new FaultRules.Fault("/search", 42, Duration.ZERO, 0))).isInstanceOf(IllegalArgumentException.class);
    }
}

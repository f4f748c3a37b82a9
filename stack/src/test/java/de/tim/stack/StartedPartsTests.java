package de.tim.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StartedPartsTests {

    @Test
    void stopsInReverseStartOrderAndGoesOnAfterAFailure() {
        List<String> stopped = new ArrayList<>();
        StartedParts parts = new StartedParts();
        parts.add("mongo", () -> stopped.add("mongo"));
        parts.add("kafka", () -> stopped.add("kafka"));
        parts.add("homeserver", () -> {
            stopped.add("homeserver");
            throw new IllegalStateException("does not stop");
        });
        parts.add("gateway", () -> stopped.add("gateway"));

        parts.close();

        assertThat(stopped).containsExactly("gateway", "homeserver", "kafka", "mongo");
    }

    @Test
    void closingAgainStopsNothingTwice() {
        List<String> stopped = new ArrayList<>();
        StartedParts parts = new StartedParts();
        parts.add("one", () -> stopped.add("one"));
        parts.close();
        parts.close();
        parts.add("two", () -> stopped.add("two"));
        parts.close();

        assertThat(stopped).containsExactly("one", "two");
    }
}

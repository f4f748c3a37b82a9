package de.tim.routes.federationlist;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Alert metrics of the federation list: {@code tim.routes.federation-list.rejected} counts lists from the VZD that were
 * refused (tag {@code reason} = {@code verification} for a bad signature, chain or payload, {@code version} for a
 * version that is not newer), {@code tim.routes.federation-list.version} is the version served to the gateways.
 */
@Component
public class FederationListMetrics {

    public static final String REJECTED = "tim.routes.federation-list.rejected";
    public static final String VERSION = "tim.routes.federation-list.version";

    private final Counter rejectedVerification;
    private final Counter rejectedVersion;
    private final AtomicLong servedVersion = new AtomicLong(-1);

    public FederationListMetrics(MeterRegistry registry) {
        this.rejectedVerification = Counter.builder(REJECTED).tag("reason", "verification")
                .description("federation lists refused because their signature, chain or payload did not verify")
                .register(registry);
        this.rejectedVersion = Counter.builder(REJECTED).tag("reason", "version")
                .description("federation lists refused because their version was not newer").register(registry);
        Gauge.builder(VERSION, servedVersion, AtomicLong::get)
                .description("version of the federation list served to the gateways (-1: none)").register(registry);
    }

    /** Metrics nobody exports (plain unit tests). */
    static FederationListMetrics unregistered() {
        return new FederationListMetrics(new SimpleMeterRegistry());
    }

    void rejectedVerification() {
        rejectedVerification.increment();
    }

    void rejectedVersion() {
        rejectedVersion.increment();
    }

    void serving(long version) {
        servedVersion.accumulateAndGet(version, Math::max);
    }
}

package de.tim.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ServedDomainsTests {

    @Test
    void aSingleDomainGatewayAlwaysAddressesItsDomainWhateverHostTheClientSends() {
        ServedDomains one = new ServedDomains(List.of("praxis-a.tim.local"));
        assertThat(one.resolve("localhost:8443")).contains("praxis-a.tim.local");
        assertThat(one.resolve("klinik-b.tim.local")).as("another tenant is not reachable").contains("praxis-a.tim.local");
        assertThat(one.resolve(null)).contains("praxis-a.tim.local");
    }

    @Test
    void aMultiDomainGatewayAcceptsOnlyItsServerNames() {
        ServedDomains two = new ServedDomains(List.of("praxis-a.tim.local", "klinik-b.tim.local"));
        assertThat(two.resolve("klinik-b.tim.local:443")).contains("klinik-b.tim.local");
        assertThat(two.resolve("PRAXIS-A.tim.local.")).contains("praxis-a.tim.local");
        assertThat(two.resolve("evil.example")).isEmpty();
        assertThat(two.resolve("localhost:8443")).isEmpty();
        assertThat(two.resolve("")).isEmpty();
    }
}

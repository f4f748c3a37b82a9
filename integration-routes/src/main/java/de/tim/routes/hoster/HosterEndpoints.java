package de.tim.routes.hoster;

import java.util.List;
import java.util.Map;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import de.tim.routes.error.ApiException;
import de.tim.routes.intern.StaticBearerTokenFilter;
import de.tim.routes.orgcheck.OrganisationRepository;
import de.tim.routes.provisioning.ProvisioningService;

/** The hoster's operator API; every request needs one of {@code tim.routes.hoster.tokens}. */
@RestController
@RequestMapping(path = "/hoster/v1", produces = MediaType.APPLICATION_JSON_VALUE)
public class HosterEndpoints {

    private final OrganisationRepository organisations;
    private final ProvisioningService provisioning;

    public HosterEndpoints(OrganisationRepository organisations, ProvisioningService provisioning) {
        this.organisations = organisations;
        this.provisioning = provisioning;
    }

    /**
     * POST /hoster/v1/organisations/{telematikId}/contract-end: the same path as a long-inactive organisation — it is
     * marked inactive with a portal notice and its domains leave the federation and are switched off at once;
     * reactivation only through a new AF_10103 authentication.
     */
    @PostMapping("/organisations/{telematikId}/contract-end")
    public Map<String, Object> contractEnd(@PathVariable("telematikId") String telematikId) {
        if (organisations.find(telematikId).isEmpty()) {
            throw new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", "no such organisation");
        }
        organisations.markInactive(telematikId, "Der Vertrag wurde beendet; die Messenger-Services werden abgeschaltet.",
                java.time.Instant.now());
        List<String> domains = provisioning.switchOff(telematikId);
        organisations.markServicesRemoved(telematikId, "Die Messenger-Services " + domains
                + " wurden aus der Föderation entfernt und abgeschaltet (Vertragsende).");
        return Map.of("telematikId", telematikId, "switchedOff", domains);
    }

    /** Puts a {@link StaticBearerTokenFilter} with the hoster tokens in front of {@code /hoster/**}. */
    @Configuration(proxyBeanMethods = false)
    static class HosterSecurity {

        @Bean
        FilterRegistrationBean<StaticBearerTokenFilter> hosterTokenFilter(HosterProperties properties) {
            FilterRegistrationBean<StaticBearerTokenFilter> registration = new FilterRegistrationBean<>(
                    new StaticBearerTokenFilter("hoster", properties.tokens(), "hoster"));
            registration.addUrlPatterns("/*");
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 11);
            return registration;
        }
    }
}

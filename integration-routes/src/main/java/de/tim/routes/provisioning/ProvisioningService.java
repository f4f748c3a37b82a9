package de.tim.routes.provisioning;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.routes.admin.AdminPrincipal;
import de.tim.routes.error.ApiException;
import de.tim.routes.orgcheck.OrganisationRepository;
import de.tim.routes.vzd.VzdClient;
import de.tim.routes.vzd.VzdUnavailableException;

/**
 * AF_10060: an Org-Admin orders a Messenger-Service. Steps, each recorded before the next: reserve the domain here
 * (unique), add it to the federation at the VZD ({@code POST /federation}), create it on the homeserver, mark it
 * active. Any failure rolls the earlier steps back ({@code DELETE /federation/{domain}}, release the reservation);
 * an interrupted provisioning is rolled back by {@link ProvisioningRecoveryRoute}. The gateways learn the domain from
 * the next federation list.
 */
@Service
public class ProvisioningService {

    private static final Logger log = LoggerFactory.getLogger(ProvisioningService.class);
    private static final Pattern DOMAIN = Pattern.compile("(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    /** A provisioned service. */
    public record Provisioned(String domain, String clientUrl, String state) {
    }

    private final MessengerServiceRepository services;
    private final OrganisationRepository organisations;
    private final VzdClient vzd;
    private final ProducerTemplate template;
    private final ProvisioningProperties properties;
    private final ObjectMapper json;
    private final Clock clock;
    private de.tim.routes.integration.IntegrationEvents events;

    /** Integrator events (optional, set by Spring). */
    @Autowired(required = false)
    void setEvents(de.tim.routes.integration.IntegrationEvents events) {
        this.events = events;
    }

    @Autowired
    public ProvisioningService(MessengerServiceRepository services, OrganisationRepository organisations, VzdClient vzd,
                               ProducerTemplate template, ProvisioningProperties properties, ObjectMapper json) {
        this(services, organisations, vzd, template, properties, json, Clock.systemUTC());
    }

    ProvisioningService(MessengerServiceRepository services, OrganisationRepository organisations, VzdClient vzd,
                        ProducerTemplate template, ProvisioningProperties properties, ObjectMapper json, Clock clock) {
        this.services = services;
        this.organisations = organisations;
        this.vzd = vzd;
        this.template = template;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    public Provisioned provision(AdminPrincipal admin, String requestedDomain) {
        if (properties.homeserverSecret() == null || properties.homeserverSecret().isBlank()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "NOT_CONFIGURED", "homeserver provisioning is not configured");
        }
        String domain = validDomain(requestedDomain);
        OrganisationRepository.Organisation organisation = organisations.find(admin.telematikId())
                .orElseThrow(() -> new ApiException(HttpStatus.FORBIDDEN, "NOT_VERIFIED", "the organisation is not verified"));
        if (!organisation.active()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "ORGANISATION_INACTIVE",
                    "the organisation is inactive; a new authentication (AF_10103) is needed");
        }
        if (services.countOf(organisation.telematikId()) >= properties.maxServicesPerOrganisation()) {
            throw new ApiException(HttpStatus.CONFLICT, "TOO_MANY_SERVICES", "the organisation has the most Messenger-Services allowed");
        }
        if (!services.reserve(domain, organisation.telematikId(), clock.instant())) {
            throw new ApiException(HttpStatus.CONFLICT, "DOMAIN_EXISTS", "the domain is already taken");
        }
        VzdClient.AddResult added;
        try {
            added = vzd.addDomain(domain, organisation.telematikId(), false);
        } catch (VzdUnavailableException e) {
            log.warn("provisioning failed at the VZD, rolling back: {}", e.getMessage());
            rollback(domain, true);
            throw new ApiException(HttpStatus.BAD_GATEWAY, "VZD_FAILED", "the VZD did not add the domain; nothing was provisioned");
        }
        if (added == VzdClient.AddResult.CONFLICT) {
            services.remove(domain);
            throw new ApiException(HttpStatus.CONFLICT, "DOMAIN_EXISTS", "the domain is already in the TI federation");
        }
        services.advance(domain, MessengerServiceRepository.State.VZD_ADDED, null, clock.instant());
        String clientUrl = properties.clientUrlTemplate().replace("{domain}", domain);
        String failure = createOnHomeserver(domain, clientUrl);
        if (failure != null) {
            log.warn("provisioning failed at the homeserver ({}), rolling back", failure);
            rollback(domain, true);
            throw new ApiException(HttpStatus.BAD_GATEWAY, "HOMESERVER_FAILED",
                    "the homeserver did not create the domain; nothing was provisioned");
        }
        services.advance(domain, MessengerServiceRepository.State.ACTIVE, clientUrl, clock.instant());
        log.info("Messenger-Service provisioned");
        if (events != null) {
            events.publish("messenger-service-provisioned", organisation.telematikId(), domain);
        }
        return new Provisioned(domain, clientUrl, MessengerServiceRepository.State.ACTIVE.name());
    }

    public List<Provisioned> servicesOf(AdminPrincipal admin) {
        return services.ofOrganisation(admin.telematikId()).stream()
                .map(s -> new Provisioned(s.domain(), s.clientUrl(), s.state().name())).toList();
    }

    /**
     * Switches an organisation's services off (inactive for too long, or contract end): each active domain is
     * deleted from the federation ({@code DELETE /federation/{domain}}) and marked {@code SWITCHED_OFF}.
     *
     * @return the domains switched off
     * @throws VzdUnavailableException when the VZD cannot be reached (the next run continues)
     */
    public List<String> switchOff(String telematikId) {
        List<String> switched = new java.util.ArrayList<>();
        for (MessengerServiceRepository.MessengerService service : services.ofOrganisation(telematikId)) {
            if (service.state() == MessengerServiceRepository.State.ACTIVE) {
                vzd.deleteDomain(service.domain());
                services.advance(service.domain(), MessengerServiceRepository.State.SWITCHED_OFF, service.clientUrl(), clock.instant());
                switched.add(service.domain());
                if (events != null) {
                    events.publish("messenger-service-switched-off", telematikId, service.domain());
                }
            }
        }
        return switched;
    }

    /** Rolls back provisionings interrupted (e.g. by a restart) before {@code recovery-after}; returns how many. */
    public int recoverUnfinished() {
        List<MessengerServiceRepository.MessengerService> unfinished = services.unfinishedBefore(clock.instant().minus(properties.recoveryAfter()));
        int done = 0;
        for (MessengerServiceRepository.MessengerService service : unfinished) {
            if (rollback(service.domain(), true)) {
                done++;
            }
        }
        return done;
    }

    /**
     * Removes the domain from the federation (a missing entry is fine) and releases the reservation. When the VZD
     * cannot be reached the reservation stays, so {@link #recoverUnfinished()} finishes the rollback later.
     */
    private boolean rollback(String domain, boolean atVzd) {
        if (atVzd) {
            try {
                vzd.deleteDomain(domain);
            } catch (VzdUnavailableException e) {
                log.warn("rollback at the VZD postponed to the recovery route: {}", e.getMessage());
                return false;
            }
        }
        services.remove(domain);
        return true;
    }

    private String createOnHomeserver(String domain, String clientUrl) {
        String body = json.createObjectNode().put("server_name", domain).put("public_base_url", clientUrl).toString();
        Exchange exchange = template.request(HomeserverDomainsRoute.CREATE, e -> {
            e.getIn().setHeader("Authorization", "Bearer " + properties.homeserverSecret());
            if (properties.homeserverProxySecret() != null && !properties.homeserverProxySecret().isBlank()) {
                e.getIn().setHeader("X-Tim-Proxy-Auth", properties.homeserverProxySecret());
            }
            e.getIn().setBody(body);
        });
        Exception exception = exchange.getException();
        if (exception == null) {
            return null;
        }
        return exception instanceof HttpOperationFailedException f ? "status " + f.getStatusCode()
                : exception.getClass().getSimpleName();
    }

    private String validDomain(String requested) {
        if (requested == null) {
            throw ApiException.badRequest("domain is required");
        }
        String domain = requested.trim().toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw ApiException.badRequest("domain is not a valid DNS name");
        }
        if (!properties.allowedDomainSuffixes().isEmpty()
                && properties.allowedDomainSuffixes().stream().noneMatch(suffix -> domain.endsWith(suffix.toLowerCase(Locale.ROOT)))) {
            throw ApiException.badRequest("domain must end in one of " + properties.allowedDomainSuffixes());
        }
        return domain;
    }
}

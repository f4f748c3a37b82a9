package de.tim.routes.orgactive;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

import de.tim.routes.orgcheck.OrganisationRepository;
import de.tim.routes.provisioning.ProvisioningService;
import de.tim.routes.vzd.VzdClient;

/**
 * A_23092–A_23094: checks every registered organisation against the directory ({@code checkTiMessengerDomains});
 * an organisation found inactive is marked inactive here, notified by KIM mail (if its KIM address is known) and by
 * a notice in the portal; after {@code remove-after} its domains leave the federation and its services are switched
 * off. Reactivation happens only through a new AF_10103 authentication (see OnboardingService).
 */
@Service
public class OrganizationActiveService {

    private static final Logger log = LoggerFactory.getLogger(OrganizationActiveService.class);

    /** Counts of one run. */
    public record Result(int markedInactive, int switchedOff) {
    }

    private final VzdClient vzd;
    private final OrganisationRepository organisations;
    private final ProvisioningService provisioning;
    private final ProducerTemplate template;
    private final OrganizationActiveProperties properties;
    private final Clock clock;

    @Autowired
    public OrganizationActiveService(VzdClient vzd, OrganisationRepository organisations, ProvisioningService provisioning,
                                     ProducerTemplate template, OrganizationActiveProperties properties) {
        this(vzd, organisations, provisioning, template, properties, Clock.systemUTC());
    }

    OrganizationActiveService(VzdClient vzd, OrganisationRepository organisations, ProvisioningService provisioning,
                              ProducerTemplate template, OrganizationActiveProperties properties, Clock clock) {
        this.vzd = vzd;
        this.organisations = organisations;
        this.provisioning = provisioning;
        this.template = template;
        this.properties = properties;
        this.clock = clock;
    }

    /** One check run now (Quartz route). */
    public Result checkAll() {
        return checkAll(clock.instant());
    }

    public Result checkAll(Instant now) {
        Set<String> inactiveAtVzd = vzd.inactiveOrganisations();
        int marked = 0;
        int switched = 0;
        for (OrganisationRepository.Organisation organisation : organisations.all()) {
            if (organisation.active() && inactiveAtVzd.contains(organisation.telematikId())) {
                if (organisations.markInactive(organisation.telematikId(), "Die Organisation ist im Verzeichnisdienst "
                        + "nicht mehr aktiv (" + now + "). Ohne erneute Authentifizierung werden ihre Messenger-Services nach "
                        + properties.removeAfter().toDays() + " Tagen aus der Föderation entfernt.", now)) {
                    marked++;
                    notifyByKim(organisation);
                }
            } else if (!organisation.active() && !organisation.servicesRemoved() && organisation.inactiveSince() != null
                    && !organisation.inactiveSince().plus(properties.removeAfter()).isAfter(now)) {
                List<String> domains = provisioning.switchOff(organisation.telematikId());
                organisations.markServicesRemoved(organisation.telematikId(), "Die Messenger-Services " + domains
                        + " wurden aus der Föderation entfernt und abgeschaltet (" + now + ").");
                switched += domains.size();
            }
        }
        if (marked + switched > 0) {
            log.warn("Organization.active check: {} organisation(s) newly inactive, {} domain(s) switched off", marked, switched);
        }
        return new Result(marked, switched);
    }

    private void notifyByKim(OrganisationRepository.Organisation organisation) {
        if (organisation.kimAddress() == null) {
            return;
        }
        String text = "Ihre Organisation (Telematik-ID " + organisation.telematikId() + ") ist im Verzeichnisdienst der TI "
                + "nicht mehr als aktiv eingetragen. Ihre TI-Messenger-Services werden nach " + properties.removeAfter().toDays()
                + " Tagen abgeschaltet, wenn die Organisation nicht erneut authentifiziert wird.";
        Exchange sent = template.request(KimNotificationRoute.SEND, e -> {
            e.getIn().setHeaders(Map.of("To", organisation.kimAddress(),
                    "Subject", "TI-Messenger: Organisation nicht mehr aktiv"));
            e.getIn().setBody(text);
        });
        if (sent.getException() != null) {
            log.warn("KIM notification about an inactive organisation failed: {}", sent.getException().getClass().getSimpleName());
        }
    }
}

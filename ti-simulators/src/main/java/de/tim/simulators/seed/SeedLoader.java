package de.tim.simulators.seed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.fasterxml.jackson.databind.ObjectMapper;

import de.tim.simulators.SimulatorsProperties;
import de.tim.simulators.idp.IdpIdentities;
import de.tim.simulators.idp.SmartcardIdentity;
import de.tim.simulators.kim.KimMailServer;
import de.tim.simulators.vzd.federation.FederationDomain;
import de.tim.simulators.vzd.federation.FederationRegistry;
import de.tim.simulators.vzd.fhir.FhirDirectory;

/**
 * Loads seed data into the directory (FHIR resources), the federation list, the IDP (SMC-B/HBA identities) and the
 * KIM server (mailboxes): at start from {@code tim.simulators.seed-file}, later through the operator API.
 */
@Component
public class SeedLoader implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SeedLoader.class);

    private final SimulatorsProperties properties;
    private final ResourceLoader resources;
    private final ObjectMapper json;
    private final FhirDirectory directory;
    private final FederationRegistry federation;
    private final IdpIdentities identities;
    private final ObjectProvider<KimMailServer> kim;

    public SeedLoader(SimulatorsProperties properties, ResourceLoader resources, ObjectMapper json, FhirDirectory directory,
                      FederationRegistry federation, IdpIdentities identities, ObjectProvider<KimMailServer> kim) {
        this.properties = properties;
        this.resources = resources;
        this.json = json;
        this.directory = directory;
        this.federation = federation;
        this.identities = identities;
        this.kim = kim;
    }

    @Override
    public void afterPropertiesSet() {
        if (!StringUtils.hasText(properties.seedFile())) {
            return;
        }
        Resource resource = resources.getResource(properties.seedFile());
        try (InputStream in = resource.getInputStream()) {
            SeedData seed = json.readValue(in, SeedData.class);
            load(seed);
            log.info("seed data loaded: {} organisations, {} practitioners", seed.organizations().size(), seed.practitioners().size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed file " + properties.seedFile(), e);
        }
    }

    /** Adds (or replaces) everything in the seed. */
    public void load(SeedData seed) {
        for (SeedData.Organization organization : seed.organizations()) {
            require(organization.id(), "organization id");
            require(organization.telematikId(), "organization telematikId");
            require(organization.professionOid(), "organization professionOid");
            FhirResources.organization(organization).forEach(r -> directory.put(r, organization.telematikId()));
            for (SeedData.Domain domain : organization.domains()) {
                federation.put(new FederationDomain(domain.domain(), organization.telematikId(),
                        Boolean.TRUE.equals(domain.isInsurance()), domain.timProvider()));
            }
            if (organization.smcbIdentity() != null) {
                identities.add(new SmartcardIdentity(organization.smcbIdentity(), "SMC-B", organization.telematikId(),
                        organization.professionOid(), null, null, organization.name()));
            }
            KimMailServer server = kim.getIfAvailable();
            if (server != null && organization.kimAddress() != null) {
                server.addMailbox(organization.kimAddress());
            }
        }
        for (SeedData.Practitioner practitioner : seed.practitioners()) {
            require(practitioner.id(), "practitioner id");
            require(practitioner.telematikId(), "practitioner telematikId");
            FhirResources.practitioner(practitioner).forEach(r -> directory.put(r, practitioner.telematikId()));
            if (practitioner.hbaIdentity() != null) {
                identities.add(new SmartcardIdentity(practitioner.hbaIdentity(), "HBA", practitioner.telematikId(),
                        practitioner.professionOid(), practitioner.givenName(), practitioner.familyName(), null));
            }
        }
    }

    private static void require(String value, String what) {
        if (!StringUtils.hasText(value)) {
            throw new IllegalArgumentException("seed data: " + what + " is required");
        }
    }
}

package de.tim.simulators;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings shared by all simulators.
 *
 * @param dataDir       directory for persistent material (test PKI keys, exported trust anchors, federation state);
 *                      when absent, a fresh temporary directory is used and nothing survives a restart
 * @param storePassword password of every PKCS#12 file the simulators write
 * @param seedFile      the seed data (organisations, practitioners, domains, KIM addresses, smartcard identities);
 *                      a Spring resource location, empty for none
 */
@ConfigurationProperties(SimulatorsProperties.PREFIX)
public record SimulatorsProperties(
        Path dataDir,
        @DefaultValue("changeit") String storePassword,
        @DefaultValue("classpath:seed/tim-local-seed.json") String seedFile) {

    public static final String PREFIX = "tim.simulators";
}

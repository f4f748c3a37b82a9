package de.tim.simulators.kim;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the KIM mail server unless {@code tim.simulators.kim.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = KimProperties.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
public class KimConfiguration {

    @Bean
    KimMailServer kimMailServer(KimProperties properties) {
        return new KimMailServer(properties);
    }
}

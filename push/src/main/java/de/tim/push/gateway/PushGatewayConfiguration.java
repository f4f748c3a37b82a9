package de.tim.push.gateway;

import java.net.http.HttpClient;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import de.tim.push.config.PushMongoProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/** The Push Gateway: providers, duplicate suppression and the notify endpoint. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = PushGatewayProperties.PREFIX, name = "enabled", matchIfMissing = true)
class PushGatewayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PushGatewayConfiguration.class);

    @Bean
    PushProviders pushProviders(PushGatewayProperties properties, ObjectMapper json, Clock clock) {
        // HTTP/2 where the provider offers it (APNs requires it; ALPN over TLS), HTTP/1.1 otherwise
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(properties.providerTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new PushProviders(properties, http, json, clock);
    }

    @Bean
    NotifyService notifyService(PushGatewayProperties properties, PushProviders providers, MongoClient mongo,
                                PushMongoProperties mongoProperties, Clock clock, MeterRegistry meters) {
        return new NotifyService(properties, providers,
                new GatewayDispatchRepository(mongo.getDatabase(mongoProperties.database())), clock, meters);
    }

    @Bean
    NotifyRequestParser notifyRequestParser(ObjectMapper json) {
        return new NotifyRequestParser(json);
    }

    @Bean
    DispatchExpiry gatewayDispatchExpiry(NotifyService service) {
        return new DispatchExpiry(service);
    }

    /** Removes expired duplicate-suppression entries (no TTL indexes, see CONTRIBUTING.md). */
    static final class DispatchExpiry {
        private final NotifyService service;

        DispatchExpiry(NotifyService service) {
            this.service = service;
        }

        @Scheduled(fixedDelayString = "${tim.push.gateway.expiry-interval:10m}", initialDelayString = "${tim.push.gateway.expiry-interval:10m}")
        void expire() {
            long removed = service.expire();
            if (removed > 0) {
                log.debug("Removed {} expired push gateway dispatch entries", removed);
            }
        }
    }
}

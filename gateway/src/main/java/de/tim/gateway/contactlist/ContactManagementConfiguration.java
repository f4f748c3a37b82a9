package de.tim.gateway.contactlist;

import java.time.Clock;

import com.mongodb.client.MongoClient;
import de.tim.gateway.route.UpstreamProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ContactManagementConfiguration {

    @Bean
    ContactManagementService contactManagementService(MongoClient mongo, ContactManagementProperties properties,
                                                      ObjectProvider<Clock> clock) {
        return new ContactManagementService(new ContactSettingRepository(mongo, properties.database()),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    OpenIdTokenVerifier openIdTokenVerifier(ClientHttpRequestFactory upstreamRequestFactory, UpstreamProperties upstream,
                                            ContactManagementProperties properties, ObjectProvider<Clock> clock) {
        return new OpenIdTokenVerifier(RestClient.builder().requestFactory(upstreamRequestFactory).build(), upstream,
                properties.tokenCacheTtl(), clock.getIfAvailable(Clock::systemUTC));
    }
}

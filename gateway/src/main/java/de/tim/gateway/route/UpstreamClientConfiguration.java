package de.tim.gateway.route;

import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import de.tim.gateway.egress.EgressProperties;
import de.tim.gateway.egress.EgressTls;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * The HTTP client towards the homeserver. Apache HttpClient streams bodies (media are never buffered)
 * and, unlike the JDK client, may send the client's {@code Host} header, by which the homeserver picks
 * the domain. The pool is sized for thousands of concurrent {@code /sync} long-polls; there is no
 * response timeout because long-polls legitimately wait for minutes.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamClientConfiguration {

    static final int MAX_CONNECTIONS = 20_000;

    /**
     * One client for the homeserver (plain HTTP) and for remote Messenger-Proxies reached through the
     * egress route (TLS with the egress trust anchors; hostnames verified).
     */
    @Bean(destroyMethod = "close")
    CloseableHttpClient upstreamHttpClient(EgressProperties egress) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new DefaultClientTlsStrategy(EgressTls.context(egress)))
                .setMaxConnTotal(MAX_CONNECTIONS)
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(5))
                        .setValidateAfterInactivity(Timeout.ofSeconds(2))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.ofSeconds(10))
                        .setResponseTimeout(Timeout.DISABLED)
                        .setRedirectsEnabled(false)
                        .build())
                .disableCookieManagement()
                .disableAutomaticRetries()
                .disableContentCompression()
                .evictIdleConnections(Timeout.of(60, TimeUnit.SECONDS))
                .build();
    }

    @Bean
    ClientHttpRequestFactory upstreamRequestFactory(CloseableHttpClient upstreamHttpClient) {
        return new HttpComponentsClientHttpRequestFactory(upstreamHttpClient);
    }

    /** Replaces the gateway's default proxy exchange, which holds back the tail of a paused body (see the class). */
    @Bean
    ProxyExchange streamingProxyExchange(ClientHttpRequestFactory upstreamRequestFactory) {
        return new StreamingProxyExchange(upstreamRequestFactory);
    }
}

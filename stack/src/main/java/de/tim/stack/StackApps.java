package de.tim.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import de.tim.gateway.GatewayApplication;
import de.tim.routes.RegistrationServiceApplication;
import de.tim.stack.StackSettings.DomainSettings;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The pieces of the stack's applications that the whole stack ({@link LocalStack}) and a domain served in
 * another process ({@link PeerDomain}) configure alike: a gateway per domain, a homeserver tenant's settings,
 * and the infrastructure arguments every application gets.
 */
final class StackApps {

    static final List<String> CAMEL = List.of("org.apache.camel.spring.boot.CamelAutoConfiguration");
    static final List<String> THYMELEAF = List.of("org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration");
    /** The gateway's auto-configurations; their servlet filters (e.g. the form filter) must not act in other apps. */
    static final List<String> GATEWAY_MVC = List.of(
            "org.springframework.cloud.gateway.server.mvc.GatewayServerMvcAutoConfiguration",
            "org.springframework.cloud.gateway.server.mvc.GatewayMvcClassPathWarningAutoConfiguration",
            "org.springframework.cloud.gateway.server.mvc.filter.FilterAutoConfiguration",
            "org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctionAutoConfiguration",
            "org.springframework.cloud.gateway.server.mvc.handler.GatewayMultipartAutoConfiguration",
            "org.springframework.cloud.gateway.server.mvc.predicate.PredicateAutoConfiguration");

    private StackApps() {
    }

    /** The gateway (Messenger-Proxy) of one domain, in front of the homeserver at {@code homeserverPort}. */
    static ChildApplication gateway(StackSettings settings, DomainSettings domain, Path keyStore, Path caPem, int homeserverPort,
            String proxySecret, String internVerificationToken, Path tiRoots) {
        ChildApplication gateway = new ChildApplication("gateway-" + domain.shortName(), GatewayApplication.class);
        // the server-name -> address map of the stack: *.tim.local needs no DNS or /etc/hosts
        for (DomainSettings peer : settings.domains()) {
            gateway.arg("tim.gateway.egress.server-addresses.[" + peer.serverName() + "]",
                    "https://localhost:" + peer.federationPort());
        }
        String registration = "http://127.0.0.1:" + settings.registrationPort();
        return gateway
                .port(domain.clientPort())
                .arg("server.ssl.bundle", "gateway")
                .arg("spring.ssl.bundle.jks.gateway.keystore.location", "file:" + keyStore)
                .arg("spring.ssl.bundle.jks.gateway.keystore.password", DevTls.KEY_STORE_PASSWORD)
                .arg("spring.ssl.bundle.jks.gateway.keystore.type", "PKCS12")
                .arg("tim.gateway.listener.federation-port", domain.federationPort())
                .arg("tim.gateway.listener.egress-port", domain.egressPort())
                .arg("tim.gateway.egress.trust-anchors", caPem)
                .arg("tim.gateway.upstream.homeserver-uri", "http://127.0.0.1:" + homeserverPort)
                .arg("tim.gateway.upstream.proxy-secret", proxySecret)
                .arg("tim.gateway.routes.server-names", domain.serverName())
                .arg("tim.gateway.contacts.database", "tim_contacts_" + domain.shortName().replace('-', '_'))
                .arg("tim.gateway.federation.list-uri", registration + "/internal/v1/federation-list")
                .arg("tim.gateway.federation.access-token", internVerificationToken)
                .arg("tim.gateway.federation.trust-anchors", tiRoots)
                .arg("tim.gateway.directory-check.uri", registration + "/internal/v1/invite-permission")
                .arg("tim.gateway.directory-check.access-token", internVerificationToken);
    }

    /** The homeserver's tenant settings of {@code domain} as the {@code i}-th domain. */
    static void homeserverDomain(Map<String, Object> args, int i, DomainSettings domain) {
        args.put("tim.homeserver.domains[" + i + "].server-name", domain.serverName());
        args.put("tim.homeserver.domains[" + i + "].hosts[0]", "localhost:" + domain.clientPort());
        args.put("tim.homeserver.domains[" + i + "].hosts[1]", domain.serverName() + ":" + domain.clientPort());
        args.put("tim.homeserver.domains[" + i + "].public-base-url", "https://localhost:" + domain.clientPort() + "/");
        // outbound federation of each domain leaves through its own gateway's egress listener
        args.put("tim.homeserver.federation.egress-proxies.[" + domain.serverName() + "]",
                "http://127.0.0.1:" + domain.egressPort());
    }

    /** Starts an application with the infrastructure every application of the stack gets. */
    static ConfigurableApplicationContext run(ChildApplication app, String bindAddress, String mongoUri, String kafkaBootstrap) {
        if (app.applicationClass() != RegistrationServiceApplication.class) {
            // springdoc belongs to the registration service; on the shared classpath it would publish API docs everywhere
            app.arg("springdoc.api-docs.enabled", false).arg("springdoc.swagger-ui.enabled", false);
        }
        if (!app.hasArg("spring.autoconfigure.exclude")) {
            app.excludeAutoConfiguration(app.applicationClass() == GatewayApplication.class
                    ? concat(CAMEL, THYMELEAF) : concat(CAMEL, THYMELEAF, GATEWAY_MVC));
        }
        return app
                .arg("server.address", bindAddress)
                .arg("spring.data.mongodb.uri", mongoUri)
                .arg("spring.data.mongodb.database", "tim_" + app.name().replace('-', '_'))
                .arg("spring.kafka.bootstrap-servers", kafkaBootstrap)
                .run();
    }

    @SafeVarargs
    static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}

package de.tim.routes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import de.tim.simulators.SimulatorsApplication;
import de.tim.simulators.control.FaultRules;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.vzd.federation.FederationDomain;
import de.tim.simulators.vzd.federation.FederationRegistry;

/** The TI simulators (VZD, IDP, KIM) in this JVM on a random port; one shared instance per test JVM. */
public final class Simulators {

    public static final String CLIENT_ID = "tim-fachdienst";
    public static final String CLIENT_SECRET = "tim-fachdienst-secret-for-tests";
    public static final String TIM_PROVIDER = "tim-fachdienst-local";

    private static Simulators shared;

    private final ConfigurableApplicationContext context;

    private Simulators(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static synchronized Simulators shared() {
        if (shared == null) {
            Map<String, Object> properties = new HashMap<>();
            // only these properties: this module's application.yml is on the same classpath
            properties.put("spring.config.name", "ti-simulators-in-routes-tests");
            properties.put("spring.autoconfigure.exclude",
                    "org.apache.camel.spring.boot.CamelAutoConfiguration,"
                            + "org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration");
            properties.put("spring.main.banner-mode", "off");
            properties.put("spring.threads.virtual.enabled", "true");
            properties.put("spring.jackson.default-property-inclusion", "non_null");
            properties.put("server.port", "0");
            properties.put("tim.simulators.vzd.clients[0].client-id", CLIENT_ID);
            properties.put("tim.simulators.vzd.clients[0].client-secret", CLIENT_SECRET);
            properties.put("tim.simulators.vzd.clients[0].tim-provider", TIM_PROVIDER);
            properties.put("tim.simulators.idp.clients[0].client-id", "tim-registration-service");
            properties.put("tim.simulators.kim.smtp-port", "0");
            properties.put("tim.simulators.kim.imap-port", "0");
            properties.put("logging.level.root", "warn");
            ConfigurableApplicationContext context = new SpringApplicationBuilder(SimulatorsApplication.class)
                    .properties(properties).run();
            shared = new Simulators(context);
            Runtime.getRuntime().addShutdownHook(new Thread(context::close, "simulators-shutdown"));
        }
        return shared;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public Path rootsPem() {
        return context.getBean(TestPki.class).rootsPem();
    }

    public TestPki pki() {
        return context.getBean(TestPki.class);
    }

    public FederationRegistry federation() {
        return context.getBean(FederationRegistry.class);
    }

    public void addDomain(String domain, String telematikId) {
        federation().add(new FederationDomain(domain, telematikId, false, TIM_PROVIDER));
    }

    /** Lets requests below a path prefix fail with a status ({@code times} requests; 0 = until cleared). */
    public void fail(String pathPrefix, int status, int times) {
        context.getBean(FaultRules.class).add(new FaultRules.Fault(pathPrefix, status, Duration.ZERO, times));
    }

    public void clearFault(String pathPrefix) {
        context.getBean(FaultRules.class).remove(pathPrefix);
    }
}

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
                            + "org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration,"
                            + "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration");
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
            // the registration service's search account lives on the fake homeserver (userinfo for /tim-authenticate)
            properties.put("tim.simulators.vzd.homeservers.[praxis-a.tim.local]", FakeHomeserverAdmin.shared().baseUri());
            // as command-line arguments: they must win over the simulators' own @PropertySource defaults
            String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            ConfigurableApplicationContext context = new SpringApplicationBuilder(SimulatorsApplication.class).run(args);
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

    public Path regServiceSignerKeyStore() {
        return pki().directory().resolve(de.tim.simulators.pki.PkiFiles.REGSERVICE_SIGNER_P12);
    }

    /** An ID_TOKEN of the simulated IDP for a smartcard identity (authorization code flow with PKCE). */
    public String idToken(String identity, String nonce) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String verifier = "verifier-" + java.util.UUID.randomUUID() + "-0123456789abcdef0123456789";
            String challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            String redirect = "http://127.0.0.1/callback";
            java.net.http.HttpResponse<String> authorize = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl()
                    + "/idp/authorize?response_type=code&scope=openid&client_id=tim-registration-service&redirect_uri=" + redirect
                    + "&state=s&nonce=" + nonce + "&code_challenge=" + challenge + "&code_challenge_method=S256&login_hint=" + identity))
                    .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            String location = authorize.headers().firstValue("Location").orElseThrow();
            String code = java.util.Arrays.stream(java.net.URI.create(location).getQuery().split("&"))
                    .filter(p -> p.startsWith("code=")).findFirst().orElseThrow(() -> new IllegalStateException(location)).substring(5);
            String form = "grant_type=authorization_code&code=" + code + "&client_id=tim-registration-service&redirect_uri="
                    + redirect + "&code_verifier=" + verifier;
            java.net.http.HttpResponse<String> token = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/idp/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(token.body()).get("id_token").asText();
        } catch (Exception e) {
            throw new IllegalStateException("IDP login failed", e);
        }
    }

    /** Calls the VZD's /owner-authenticate with a RegService-OpenID-Token; returns the HTTP status. */
    public int ownerAuthenticate(String regServiceToken) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/owner-authenticate"))
                    .header("Authorization", "Bearer " + regServiceToken).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int kimSmtpPort() {
        return context.getBean(de.tim.simulators.kim.KimMailServer.class).smtpPort();
    }

    /** Mails in a KIM mailbox. */
    public java.util.List<de.tim.simulators.kim.KimMailServer.Mail> kimInbox(String address) {
        return context.getBean(de.tim.simulators.kim.KimMailServer.class).inbox(address).orElse(java.util.List.of());
    }

    /** Sets Organization.active of an organisation in the simulated directory. */
    public void setOrganizationActive(String telematikId, boolean active) {
        context.getBean(de.tim.simulators.vzd.fhir.FhirDirectory.class).setOrganizationActive(telematikId, active);
    }

    /** A resource of the simulated FHIR directory, if present. */
    public java.util.Optional<org.hl7.fhir.r4.model.Resource> fhir(String type, String id) {
        return context.getBean(de.tim.simulators.vzd.fhir.FhirDirectory.class).get(type, id);
    }

    /** The KIM mailbox as the simulator's HTTP API shows it ({@code GET /kim/mailboxes/{address}/messages}). */
    public com.fasterxml.jackson.databind.JsonNode kimMessages(String address) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(baseUrl() + "/kim/mailboxes/" + address + "/messages")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("KIM mailbox answered " + response.statusCode());
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads more seed data through the operator API ({@code POST /control/seed}). */
    public void seed(String json) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(baseUrl() + "/control/seed")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("seed refused: " + response.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestPki pki() {
        return context.getBean(TestPki.class);
    }

    public FederationRegistry federation() {
        return context.getBean(FederationRegistry.class);
    }

    public void addInsuranceDomain(String domain, String telematikId) {
        federation().add(new FederationDomain(domain, telematikId, true, TIM_PROVIDER));
    }

    /** Sets the EndpointVisibility extension {@code hide-versicherte} on an Endpoint of the simulated directory. */
    public void hideFromInsurees(String endpointId) {
        de.tim.simulators.vzd.fhir.FhirDirectory directory = context.getBean(de.tim.simulators.vzd.fhir.FhirDirectory.class);
        org.hl7.fhir.r4.model.Endpoint endpoint = (org.hl7.fhir.r4.model.Endpoint) directory.get("Endpoint", endpointId).orElseThrow();
        endpoint.addExtension(de.tim.simulators.vzd.fhir.EndpointVisibility.EXTENSION_URL, new org.hl7.fhir.r4.model.Coding(
                "https://gematik.de/fhir/directory/CodeSystem/EndpointVisibilityCS", de.tim.simulators.vzd.fhir.EndpointVisibility.HIDE_VERSICHERTE, null));
        directory.put(endpoint);
    }

    /** Sets Endpoint.status (e.g. {@code off}: the owner restricted the entry's visibility). */
    public void setEndpointStatus(String endpointId, org.hl7.fhir.r4.model.Endpoint.EndpointStatus status) {
        de.tim.simulators.vzd.fhir.FhirDirectory directory = context.getBean(de.tim.simulators.vzd.fhir.FhirDirectory.class);
        org.hl7.fhir.r4.model.Endpoint endpoint = (org.hl7.fhir.r4.model.Endpoint) directory.get("Endpoint", endpointId).orElseThrow();
        directory.put(endpoint.setStatus(status));
    }

    public void addDomain(String domain, String telematikId) {
        federation().add(new FederationDomain(domain, telematikId, false, TIM_PROVIDER));
    }

    /** Injects a fault through the operator API ({@code POST /control/faults}); {@code times} 0 = until removed. */
    public void faultViaControl(String pathPrefix, int status, int times) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(baseUrl() + "/control/faults")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"pathPrefix\":\"" + pathPrefix + "\",\"status\":" + status
                            + ",\"times\":" + times + "}")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("fault refused: " + response.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the simulated VZD serve its federation list with an invalid signature through the operator API
     * ({@code PUT /control/federation-list/tampering?mode=none|foreign-signer|modified-payload}).
     */
    public void tamperFederationList(String mode) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(baseUrl() + "/control/federation-list/tampering?mode=" + mode))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("tampering refused: " + response.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets requests below a path prefix fail with a status ({@code times} requests; 0 = until cleared). */
    public void fail(String pathPrefix, int status, int times) {
        context.getBean(FaultRules.class).add(new FaultRules.Fault(pathPrefix, status, Duration.ZERO, times));
    }

    public void clearFault(String pathPrefix) {
        context.getBean(FaultRules.class).remove(pathPrefix);
    }
}

package de.tim.push.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.crypto.tls.SslContexts;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.kafka.topics.PushNotificationRecord.Counts;
import de.tim.kafka.topics.PushNotificationRecord.Device;
import de.tim.kafka.topics.PushNotificationRecord.Notification;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APNs adapter over real HTTP/2: an in-test Tomcat with TLS and ALPN ({@code h2}) in the role of
 * api.push.apple.com. Verifies the request arrives as HTTP/2 with the APNs headers, and Apple's answers map right.
 */
class ApnsHttp2Tests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> protocols = new CopyOnWriteArrayList<>();
    private static final List<String> pushTypes = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;

    private static Tomcat tomcat;
    private static PushProviders providers;

    @BeforeAll
    static void start() throws Exception {
        IssuedCertificate ca = CertificateIssuer.selfSignedRoot("CN=Test APNs CA", EcCurve.P256, Duration.ofDays(1));
        IssuedCertificate server = CertificateIssuer.tlsServer(ca, "localhost", List.of("localhost"), List.of("127.0.0.1"),
                EcCurve.P256, Duration.ofDays(1));
        Path keyStore = dir.resolve("apns.p12");
        KeyStores.writeKeyStore(server, keyStore, "changeit".toCharArray());

        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
        connector.setPort(0);
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig ssl = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.EC);
        certificate.setCertificateKeystoreFile(keyStore.toString());
        certificate.setCertificateKeystorePassword("changeit");
        certificate.setCertificateKeystoreType("PKCS12");
        certificate.setCertificateKeyAlias(KeyStores.KEY_ALIAS);
        ssl.addCertificate(certificate);
        connector.addSslHostConfig(ssl);
        connector.addUpgradeProtocol(new Http2Protocol());
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", dir.toString());
        Tomcat.addServlet(context, "apns", new ApnsServlet());
        context.addServletMappingDecoded("/*", "apns");
        tomcat.start();

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String p8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ec.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        var apns = new PushGatewayProperties.App(PushGatewayProperties.ProviderType.APNS, null, null,
                new PushGatewayProperties.Apns(URI.create("https://localhost:" + connector.getLocalPort()), "TEAM", "KID",
                        null, p8, "de.tim.app.ios", null, null), null);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(SslContexts.trusting(List.of(ca.certificate()))).build();
        providers = new PushProviders(new PushGatewayProperties(true, Map.of("ios", apns), Duration.ofSeconds(5), null, null, null, null),
                http, JSON, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }

    /** Answers like APNs: 200, or 410 Unregistered for the token "gone". */
    static final class ApnsServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            protocols.add(request.getProtocol());
            pushTypes.add(String.valueOf(request.getHeader("apns-push-type")));
            request.getInputStream().readAllBytes();
            response.setHeader("apns-id", String.valueOf(request.getHeader("apns-id")));
            if (request.getRequestURI().endsWith("/gone")) {
                response.setStatus(410);
                response.setContentType("application/json");
                response.getOutputStream().write("{\"reason\":\"Unregistered\",\"timestamp\":1700000000000}"
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                response.setStatus(200);
            }
        }
    }

    private static ProviderOutcome send(String token) {
        Device device = new Device("ios", token, null, Map.of(), Map.of());
        Notification n = new Notification("$e", "!r:d", null, null, null, null, null, null, null, null, new Counts(1L, null),
                List.of(device));
        return providers.forApp("ios").orElseThrow().send(PushMessage.of(n, device, Set.of()));
    }

    @Test
    void pushesOverHttp2WithTlsAndAlpn() {
        assertThat(send("abcdef0123")).isEqualTo(ProviderOutcome.delivered());
        assertThat(send("gone")).isEqualTo(ProviderOutcome.rejected("apns:410:Unregistered"));
        assertThat(protocols).containsOnly("HTTP/2.0").hasSize(2);
        assertThat(pushTypes).containsOnly("alert");
    }
}

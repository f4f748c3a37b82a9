package de.tim.simulators.vzd.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.simulators.vzd.VzdProperties;

/** The userinfo call over TLS, trusting the configured CA PEM (as in the stack: gateway federation ports). */
class MatrixUserInfoClientTests {

    @TempDir
    Path dir;
    HttpsServer server;
    IssuedCertificate ca;

    @BeforeEach
    void gateway() throws Exception {
        ca = CertificateIssuer.selfSignedRoot("CN=Stack CA", EcCurve.P256, Duration.ofDays(1));
        IssuedCertificate tls = CertificateIssuer.tlsServer(ca, "localhost", List.of("localhost"), List.of("127.0.0.1"),
                EcCurve.P256, Duration.ofDays(1));
        KeyStores.writeKeyStore(tls, dir.resolve("tls.p12"), "pw".toCharArray());
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(dir.resolve("tls.p12"))) {
            keyStore.load(in, "pw".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/_matrix/federation/v1/openid/userinfo", exchange -> {
            boolean known = exchange.getRequestURI().getQuery().equals("access_token=good");
            byte[] body = (known ? "{\"sub\":\"@alice:praxis-a.tim.local\"}" : "{\"errcode\":\"M_UNKNOWN_TOKEN\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(known ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MatrixUserInfoClient client(Path caPem) {
        VzdProperties properties = new VzdProperties(null, List.of(), Duration.ofMinutes(5), Duration.ofHours(1), "BP256R1",
                Duration.ofHours(1), Map.of("praxis-a.tim.local", "https://localhost:" + server.getAddress().getPort()),
                caPem, List.of(), null, "vzd-fhir-directory", true);
        return new MatrixUserInfoClient(properties, RestClient.builder());
    }

    @Test
    void asksTheMappedGatewayOverTlsTrustingTheConfiguredCa() {
        KeyStores.writePem(dir.resolve("ca.pem"), ca.certificate());
        MatrixUserInfoClient client = client(dir.resolve("ca.pem"));
        assertThat(client.userId("praxis-a.tim.local", "good")).contains("@alice:praxis-a.tim.local");
        assertThat(client.userId("praxis-a.tim.local", "bad")).isEmpty();
    }

    @Test
    void anUntrustedGatewayIsNotAsked() {
        IssuedCertificate other = CertificateIssuer.selfSignedRoot("CN=Other CA", EcCurve.P256, Duration.ofDays(1));
        KeyStores.writePem(dir.resolve("other.pem"), other.certificate());
        assertThat(client(dir.resolve("other.pem")).userId("praxis-a.tim.local", "good")).isEmpty();
    }
}

package de.tim.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import de.tim.crypto.jws.TiJws;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;
import de.tim.crypto.x509.TiAdmission;

/**
 * A test TI PKI with a federation-list signer, signed federation lists, and an HTTP server standing in
 * for the registration service's I_internVerification federation-list endpoint.
 */
public final class TestFederationList implements AutoCloseable {

    public static final String SIGNER_ROLE = "1.2.276.0.76.4.999";
    public static final String ACCESS_TOKEN = "gw-token";
    public static final IssuedCertificate ROOT = CertificateIssuer.selfSignedRoot("CN=Test TI Root", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(3650));
    public static final IssuedCertificate CA = CertificateIssuer.intermediate(ROOT, "CN=Test Komp-CA", EcCurve.BRAINPOOL_P256R1, Duration.ofDays(1000));
    public static final IssuedCertificate SIGNER_BP = signer(CA, EcCurve.BRAINPOOL_P256R1, SIGNER_ROLE);
    public static final IssuedCertificate SIGNER_ES = signer(CA, EcCurve.P256, SIGNER_ROLE);

    private final HttpServer server;
    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> lastQuery = new AtomicReference<>();

    public TestFederationList() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/federation-list", exchange -> {
            requests.incrementAndGet();
            lastQuery.set(exchange.getRequestURI().getQuery());
            String body = served.get();
            if (!("Bearer " + ACCESS_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
            } else if (body == null) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/internal/federation-list");
    }

    /** Serves this compact JWS from now on (null: nothing, 204). */
    public void serve(String jws) {
        served.set(jws);
    }

    public int requests() {
        return requests.get();
    }

    public String lastQuery() {
        return lastQuery.get();
    }

    /** Writes the root as PEM, for {@code tim.gateway.federation.trust-anchors}. */
    public static Path writeTrustAnchor(Path file) {
        KeyStores.writePem(file, ROOT.certificate());
        return file;
    }

    /** A signed federation list. */
    public static String list(IssuedCertificate signer, long version, Instant iat, Instant exp, String... domains) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String domain : domains) {
            entries.add(Map.of("domain", domain, "telematikID", "1-" + domain, "isInsurance", false, "timProvider", "test-provider"));
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("version", version)
                .claim("domainList", entries)
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .build();
        return TiJws.signJwt(signer, claims).serialize();
    }

    public static IssuedCertificate signer(IssuedCertificate ca, EcCurve curve, String role) {
        return CertificateIssuer.signer(ca, "CN=VZD Federation List Signer", curve, Duration.ofDays(100),
                List.of(TiAdmission.extension("VZD-FHIR-Directory", role)));
    }

    public void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}

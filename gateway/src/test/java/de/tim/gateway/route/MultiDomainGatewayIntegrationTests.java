package de.tim.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.gateway.RecordingHomeserver;
import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One gateway in front of a homeserver hosting two Messenger-Services: the client's Host picks the tenant, the
 * homeserver is addressed by that tenant's server name only, and a host that names no served domain reaches nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MultiDomainGatewayIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingHomeserver UPSTREAM = new RecordingHomeserver();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tim.gateway.upstream.homeserver-uri", () -> UPSTREAM.uri().toString());
        registry.add("tim.gateway.upstream.proxy-secret", () -> RecordingHomeserver.PROXY_SECRET);
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local,klinik-b.tim.local");
        MongoWireServers.registerUri(registry);
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.close();
    }

    @Test
    void theClientsHostPicksTheServedDomain() throws Exception {
        assertThat(upstreamHost("klinik-b.tim.local:" + port)).isEqualTo("klinik-b.tim.local");
        assertThat(upstreamHost("PRAXIS-A.tim.local.")).isEqualTo("praxis-a.tim.local");
    }

    @Test
    void aHostNamingNoServedDomainReachesNothing() throws Exception {
        int before = UPSTREAM.requests();
        for (String host : new String[] {"localhost:" + port, "evil.example", "praxis-a.tim.local.evil.example"}) {
            String response = request(host);
            assertThat(response).as(host).startsWith("HTTP/1.1 404");
            assertThat(body(response).get("errcode").asText()).isEqualTo("M_UNRECOGNIZED");
        }
        assertThat(UPSTREAM.requests()).isEqualTo(before);
    }

    private String upstreamHost(String host) throws IOException {
        String response = request(host);
        assertThat(response).as(host).startsWith("HTTP/1.1 200");
        return body(response).get("host").asText();
    }

    /** A raw HTTP/1.1 request, so that the Host header is exactly what a client sends. */
    private String request(String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /_matrix/client/v3/capabilities HTTP/1.1\r\nHost: " + host
                    + "\r\nAuthorization: Bearer syt_x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode body(String response) throws IOException {
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        if (response.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
            StringBuilder joined = new StringBuilder();
            String rest = body;
            while (true) {
                int lineEnd = rest.indexOf("\r\n");
                int size = Integer.parseInt(rest.substring(0, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                joined.append(rest, lineEnd + 2, lineEnd + 2 + size);
                rest = rest.substring(lineEnd + 2 + size + 2);
            }
            body = joined.toString();
        }
        return JSON.readTree(body);
    }
}

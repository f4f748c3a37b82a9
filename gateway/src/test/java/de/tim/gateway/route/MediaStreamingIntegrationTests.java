package de.tim.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Media pass the gateway as streams: the homeserver sees the first megabyte of an upload while the client is
 * still holding back the rest, and the client sees the first megabyte of a download while the homeserver is
 * still holding back the rest. Both ends are raw sockets, so nothing but the gateway could buffer; a gateway
 * that buffered whole bodies would stall both exchanges until the 20-second guards give up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)

class MediaStreamingIntegrationTests {

    private static final int MB = 1024 * 1024;
    private static final ServerSocket HOMESERVER = listen();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tim.gateway.upstream.homeserver-uri", () -> "http://127.0.0.1:" + HOMESERVER.getLocalPort());
        registry.add("tim.gateway.upstream.proxy-secret", () -> "s3cret");
        registry.add("tim.gateway.routes.server-names", () -> "praxis-a.tim.local");
        MongoWireServers.registerUri(registry);
    }

    @AfterAll
    static void stop() throws IOException {
        HOMESERVER.close();
    }

    @Test
    void uploadsAreStreamedToTheHomeserver() throws Exception {
        CountDownLatch firstMegabyteAtHomeserver = new CountDownLatch(1);
        AtomicReference<String> forwardedHead = new AtomicReference<>();
        Thread homeserver = Thread.ofVirtual().start(() -> serveUpload(firstMegabyteAtHomeserver, forwardedHead));
        try (Socket client = new Socket("127.0.0.1", port)) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /_matrix/media/v3/upload?filename=scan.pdf HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer syt_x\r\nContent-Type: application/pdf\r\nContent-Length: " + 5 * MB
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[MB]);
            out.flush();
            assertThat(firstMegabyteAtHomeserver.await(20, TimeUnit.SECONDS))
                    .as("the homeserver sees the first megabyte before the client sends the rest").isTrue();
            out.write(new byte[4 * MB]);
            out.flush();
            String status = new String(client.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 200");
        }
        homeserver.join(30_000);
        assertThat(forwardedHead.get().toLowerCase(java.util.Locale.ROOT))
                .contains("content-length: " + 5 * MB).doesNotContain("transfer-encoding");
    }

    @Test
    void downloadsAreStreamedToTheClient() throws Exception {
        CountDownLatch firstMegabyteAtClient = new CountDownLatch(1);
        Thread homeserver = Thread.ofVirtual().start(() -> serveDownload(firstMegabyteAtClient));
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write(("GET /_matrix/client/v1/media/download/praxis-a.tim.local/abc HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer syt_x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            long received = 0;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received += n;
                if (received >= MB) {
                    firstMegabyteAtClient.countDown();
                }
            }
            assertThat(received).as("headers and the whole body arrived").isGreaterThan(5L * MB);
        }
        homeserver.join(30_000);
    }

    private static void serveUpload(CountDownLatch firstMegabyte, AtomicReference<String> forwardedHead) {
        try (Socket connection = HOMESERVER.accept()) {
            InputStream in = connection.getInputStream();
            String head = readHead(in);
            forwardedHead.set(head);
            // the body as declared: the gateway passes the client's Content-Length on (no chunked re-framing)
            long received = 0;
            byte[] buffer = new byte[64 * 1024];
            int n;
            while (received < 5L * MB && (n = in.read(buffer, 0, (int) Math.min(buffer.length, 5L * MB - received))) >= 0) {
                received += n;
                if (received >= MB) {
                    firstMegabyte.countDown();
                }
            }
            connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the client side of the test reports the failure
        }
    }

    /** Reads the request line and headers up to the empty line, byte by byte (nothing of the body). */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    private static void serveDownload(CountDownLatch firstMegabyteAtClient) {
        try (Socket connection = HOMESERVER.accept()) {
            InputStream in = connection.getInputStream();
            byte[] head = new byte[8192];
            in.read(head);
            OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + 5 * MB
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[MB]);
            out.flush();
            if (firstMegabyteAtClient.await(20, TimeUnit.SECONDS)) {
                out.write(new byte[4 * MB]);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client side of the test reports the failure
        }
    }

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package de.tim.gateway.route;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import de.tim.testsupport.MongoWireServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Measurement, not a test (no assertions; surefire does not pick it up by name): uploads and downloads of
 * 20 MB and 200 MB through the gateway between raw sockets, printing time and heap (peak used heap during
 * the transfer and retained heap after it, both relative to the heap before). Run with
 * {@code ./mvnw -pl gateway -am verify -Dtest=MediaStreamingMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MediaStreamingMeasurement {

    private static final int MB = 1024 * 1024;
    private static final ServerSocket HOMESERVER = listen();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

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
    void measure() throws Exception {
        upload(20L * MB); // warm-up
        download(20L * MB);
        for (long size : new long[] {20L * MB, 200L * MB}) {
            report("upload", size, () -> upload(size));
            report("download", size, () -> download(size));
        }
    }

    private interface Transfer {
        void run() throws Exception;
    }

    private static void report(String what, long size, Transfer transfer) throws Exception {
        System.gc();
        long before = MEMORY.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
        });
        long start = System.nanoTime();
        transfer.run();
        long millis = (System.nanoTime() - start) / 1_000_000;
        running.set(false);
        sampler.join();
        System.gc();
        long after = MEMORY.getHeapMemoryUsage().getUsed();
        System.out.printf("MEASUREMENT %-8s %4d MB: %6d ms (%.0f MB/s), heap peak +%d MB, retained after GC %+d MB%n",
                what, size / MB, millis, size / (double) MB / (millis / 1000.0), (peak.get() - before) / MB,
                (after - before) / MB);
    }

    private void upload(long size) throws Exception {
        Thread homeserver = Thread.ofVirtual().start(() -> {
            try (Socket connection = HOMESERVER.accept()) {
                InputStream in = connection.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                long headerAndBody = 0;
                int n;
                while (headerAndBody < size && (n = in.read(buffer)) >= 0) {
                    headerAndBody += n;
                }
                connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (Socket client = new Socket("127.0.0.1", port)) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /_matrix/media/v3/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer syt_x\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
            }
            out.flush();
            client.getInputStream().readNBytes(12);
        }
        homeserver.join();
    }

    private void download(long size) throws Exception {
        Thread homeserver = Thread.ofVirtual().start(() -> {
            try (Socket connection = HOMESERVER.accept()) {
                connection.getInputStream().read(new byte[8192]);
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[64 * 1024];
                for (long sent = 0; sent < size; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
                }
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write(("GET /_matrix/client/v1/media/download/praxis-a.tim.local/abc HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer syt_x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) >= 0) {
                // discard
            }
        }
        homeserver.join();
    }

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

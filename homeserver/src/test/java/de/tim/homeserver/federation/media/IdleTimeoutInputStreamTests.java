package de.tim.homeserver.federation.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class IdleTimeoutInputStreamTests {

    /** Hands out its bytes, then blocks until closed (as a connection whose remote went silent). */
    private static final class StallingBody extends InputStream {
        private final byte[] bytes;
        private int pos;
        private final CountDownLatch closed = new CountDownLatch(1);

        StallingBody(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            if (pos < bytes.length) {
                return bytes[pos++] & 0xff;
            }
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("closed");
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aStalledBodyIsCutOff() throws IOException {
        StallingBody body = new StallingBody(new byte[] {1, 2, 3});
        IdleTimeoutInputStream in = new IdleTimeoutInputStream(body, Duration.ofMillis(300), body);
        assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
        // nothing more comes: the watchdog closes the connection and the blocked read fails
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("for too long");
    }

    @Test
    void aMovingBodyIsReadToItsEnd() throws IOException {
        byte[] bytes = new byte[100_000];
        try (IdleTimeoutInputStream in = new IdleTimeoutInputStream(new ByteArrayInputStream(bytes), Duration.ofSeconds(5),
                () -> { })) {
            assertThat(in.readAllBytes()).hasSize(bytes.length);
        }
    }
}

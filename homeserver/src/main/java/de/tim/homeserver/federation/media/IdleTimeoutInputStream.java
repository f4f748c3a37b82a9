package de.tim.homeserver.federation.media;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A remote body that must keep moving: if no byte arrives for {@code idle}, a watchdog (one virtual thread per
 * stream) closes the connection, so the blocked read fails instead of holding the request (and every request
 * waiting for the same media) for as long as a remote chooses to trickle. The request timeout only bounds the
 * wait for the answer's head.
 */
final class IdleTimeoutInputStream extends FilterInputStream {

    private final long idleNanos;
    private final Closeable connection;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean done;
    private volatile boolean timedOut;

    IdleTimeoutInputStream(InputStream in, Duration idle, Closeable connection) {
        super(in);
        this.idleNanos = idle.toNanos();
        this.connection = connection;
        Thread.ofVirtual().name("media-idle-watchdog").start(this::watch);
    }

    private void watch() {
        while (!done) {
            long idleFor = System.nanoTime() - lastProgress;
            if (idleFor >= idleNanos) {
                timedOut = true;
                try {
                    connection.close();
                } catch (IOException | RuntimeException e) {
                    // closing is best effort; the read fails or ends either way
                }
                return;
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.max(1_000_000, idleNanos - idleFor)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw timedOut ? new IOException("remote sent nothing for too long") : e;
        }
        if (timedOut) {
            throw new IOException("remote sent nothing for too long");
        }
        if (n < 0) {
            done = true;
        } else {
            lastProgress = System.nanoTime();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        done = true;
        super.close();
    }
}

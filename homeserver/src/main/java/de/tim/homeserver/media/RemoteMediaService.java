package de.tim.homeserver.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Media of other servers ({@code mxc://<remote>/<id>}), fetched through the {@link RemoteMediaFetcher} (federation)
 * and cached in the domain's {@link MediaStore} (bytes named {@code remote/<server>/<id>}, metadata in
 * {@link RemoteMediaRepository}, thumbnails as thumbnail records of {@code remote/<server>/<id>}). A download that
 * misses the cache is streamed to the client while it is stored; concurrent requests for the same media in this
 * process wait for that one fetch and are then served from the cache. Content above {@code max-upload-size} is
 * refused with 502 M_TOO_LARGE (if the remote announces the length, before any byte is sent; otherwise the answer
 * is cut off and nothing is cached). Cached copies not served within {@code remote-cache-retention} are deleted
 * by {@link RemoteMediaExpiry} (and fetched again when asked for).
 */
@Service
public class RemoteMediaService {

    /** Where a download goes. */
    public interface Sink {
        /** The media is cached: serve it like local media (ranges, length). */
        void cached(Media media) throws IOException;

        /** The media arrives now: send the headers ({@code length} -1 if unknown) and return the body's stream. */
        OutputStream live(String contentType, String fileName, long length) throws IOException;
    }

    static final String PREFIX = "remote/";
    static final String METRIC = "tim.homeserver.media.remote.fetches";
    private static final long TOUCH_GRANULARITY_CAP_MS = 3_600_000L;

    private final RemoteMediaRepository repository;
    private final MediaRepository media;
    private final MediaStore store;
    private final MediaProperties properties;
    private final ObjectProvider<RemoteMediaFetcher> fetcher;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    /** Fetches under way in this process: (database, key) → done. */
    private final ConcurrentMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    RemoteMediaService(RemoteMediaRepository repository, MediaRepository media, MediaStore store,
            MediaProperties properties, ObjectProvider<RemoteMediaFetcher> fetcher, ObjectProvider<MeterRegistry> meters) {
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.repository = repository;
        this.media = media;
        this.store = store;
        this.properties = properties;
        this.fetcher = fetcher;
    }

    /**
     * Serves remote media to {@code sink}: from the cache, else fetched now. With {@code cachedBefore} set (the
     * legacy endpoints' freeze) only a copy cached before that time is served and nothing is fetched.
     */
    public void download(Domain domain, String serverName, String mediaId, long timeoutMs, Long cachedBefore, Sink sink)
            throws IOException {
        MediaService.validate(serverName, mediaId);
        Optional<RemoteMediaRepository.Cached> hit = repository.findCached(domain.database(), serverName, mediaId);
        hit.ifPresent(h -> touch(domain, serverName, mediaId, h.lastAccessTs()));
        Optional<Media> cached = hit.map(RemoteMediaRepository.Cached::media);
        if (cachedBefore != null) {
            Media frozen = cached.filter(m -> m.createdTs() < cachedBefore)
                    .orElseThrow(() -> MatrixException.notFound("Unknown media"));
            sink.cached(frozen);
            return;
        }
        if (cached.isPresent()) {
            sink.cached(cached.get());
            return;
        }
        RemoteMediaFetcher remote = fetcher.getIfAvailable();
        if (remote == null) {
            throw MatrixException.notFound("Unknown media");
        }
        String key = domain.databaseName() + " " + RemoteMediaRepository.id(serverName, mediaId);
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            count("joined");
            await(running);
            sink.cached(repository.findReady(domain.database(), serverName, mediaId)
                    .orElseThrow(() -> MatrixException.notFound("Unknown media")));
            return;
        }
        try {
            Optional<Media> meanwhile = repository.findReady(domain.database(), serverName, mediaId);
            if (meanwhile.isPresent()) {
                sink.cached(meanwhile.get());
            } else {
                fetchLive(remote, domain, serverName, mediaId, timeoutMs, sink);
            }
            mine.complete(null);
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private void fetchLive(RemoteMediaFetcher remote, Domain domain, String serverName, String mediaId, long timeoutMs,
            Sink sink) throws IOException {
        count("fetched");
        long max = properties.maxUploadSize().toBytes();
        String attempt = repository.fetching(domain.database(), serverName, mediaId, clock.millis());
        MediaStore.StoredFile file;
        String contentType;
        String fileName;
        try (RemoteMediaFetcher.RemoteContent content = remote.download(domain, serverName, mediaId, remoteWait(timeoutMs))) {
            if (content.length() > max) {
                throw tooLarge();
            }
            contentType = content.contentType();
            fileName = content.fileName();
            ClientTee tee = new ClientTee(content.body(), sink.live(contentType, fileName, content.length()));
            file = storeRemote(domain, PREFIX + RemoteMediaRepository.id(serverName, mediaId), tee, max);
            tee.flushClient();
        } catch (IOException | RuntimeException e) {
            repository.failed(domain.database(), serverName, mediaId, attempt);
            throw e;
        }
        if (!repository.complete(domain.database(), serverName, mediaId, file, contentType, fileName, clock.millis())) {
            store.delete(domain.database(), file.fileId());
        }
    }

    /**
     * A thumbnail of remote media for {@code requested} (mapped to the recommended size, as locally): cached, else
     * fetched from the origin's thumbnail endpoint and cached. Concurrent requests share one fetch.
     */
    public Thumbnail thumbnail(Domain domain, String serverName, String mediaId, ThumbnailSpec requested, long timeoutMs)
            throws IOException {
        MediaService.validate(serverName, mediaId);
        ThumbnailSpec spec = ThumbnailSpec.forRequest(requested.width(), requested.height(), requested.method());
        String owner = PREFIX + RemoteMediaRepository.id(serverName, mediaId);
        String key = spec.key(owner);
        Optional<MediaRepository.CachedThumbnail> cached = media.findCachedThumbnail(domain.database(), key);
        if (cached.isPresent()) {
            if (needsTouch(cached.get().lastAccessTs())) {
                media.touchThumbnail(domain.database(), key, clock.millis());
            }
            return cached.get().thumbnail();
        }
        RemoteMediaFetcher remote = fetcher.getIfAvailable();
        if (remote == null) {
            throw MatrixException.notFound("Unknown media");
        }
        String flightKey = domain.databaseName() + " " + key;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(flightKey, mine);
        if (running != null) {
            count("joined");
            await(running);
            return media.findThumbnail(domain.database(), key).orElseThrow(() -> MatrixException.notFound("Unknown media"));
        }
        try {
            Thumbnail thumbnail = media.findThumbnail(domain.database(), key)
                    .orElseGet(() -> fetchThumbnail(remote, domain, serverName, mediaId, spec, owner, key, timeoutMs));
            mine.complete(null);
            return thumbnail;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(flightKey, mine);
        }
    }

    private Thumbnail fetchThumbnail(RemoteMediaFetcher remote, Domain domain, String serverName, String mediaId,
            ThumbnailSpec spec, String owner, String key, long timeoutMs) {
        count("fetched");
        long max = properties.maxUploadSize().toBytes();
        Thumbnail thumbnail;
        try (RemoteMediaFetcher.RemoteContent content = remote.thumbnail(domain, serverName, mediaId, spec, remoteWait(timeoutMs))) {
            if (content.length() > max) {
                throw tooLarge();
            }
            MediaStore.StoredFile file = storeRemote(domain, key, content.body(), max);
            thumbnail = new Thumbnail(file.fileId(), content.contentType(), file.length(), spec.width(), spec.height());
        } catch (IOException e) {
            throw MatrixException.unknown(502, "Remote server " + serverName + " is not reachable");
        }
        // another request may have recorded it first (then its copy is served), which the expiry may remove meanwhile
        for (int attempt = 0; attempt < 3; attempt++) {
            if (media.insertThumbnail(domain.database(), key, owner, thumbnail, clock.millis())) {
                return thumbnail;
            }
            Optional<Thumbnail> existing = media.findThumbnail(domain.database(), key);
            if (existing.isPresent()) {
                store.delete(domain.database(), thumbnail.fileId());
                return existing.get();
            }
        }
        return thumbnail;
    }

    /** The bytes of a cached remote media item. */
    public InputStream open(Domain domain, Media cached) {
        return store.open(domain.database(), cached.fileId());
    }

    /** The bytes of a cached remote thumbnail. */
    public InputStream open(Domain domain, Thumbnail thumbnail) {
        return store.open(domain.database(), thumbnail.fileId());
    }

    private MediaStore.StoredFile storeRemote(Domain domain, String name, InputStream in, long max) throws IOException {
        try {
            return store.store(domain.database(), name, in, max);
        } catch (MatrixException e) {
            if (e.status() == 413) {
                throw tooLarge();
            }
            throw e;
        }
    }

    /**
     * Records the access for {@code remote-cache-retention}, at most once per tenth of it (capped at an hour), so
     * a popular copy does not cost a write per download.
     */
    private void touch(Domain domain, String serverName, String mediaId, long lastAccessTs) {
        if (needsTouch(lastAccessTs)) {
            repository.touch(domain.database(), serverName, mediaId, clock.millis());
        }
    }

    private boolean needsTouch(long lastAccessTs) {
        long granularity = Math.min(TOUCH_GRANULARITY_CAP_MS, properties.remoteCacheRetention().toMillis() / 10);
        return clock.millis() - lastAccessTs >= granularity;
    }

    private long remoteWait(long timeoutMs) {
        return Math.max(0, Math.min(timeoutMs, properties.maxDownloadWait().toMillis()));
    }

    /** {@value #METRIC}{outcome}: fetched from the origin, or joined a fetch of the same content under way. */
    private void count(String outcome) {
        meters.counter(METRIC, "outcome", outcome).increment();
    }

    private static MatrixException tooLarge() {
        return new MatrixException(502, "M_TOO_LARGE", "Remote content is too large to serve");
    }

    /** Waits for another request's fetch of the same content (a virtual thread parks, no platform thread). */
    private static void await(CompletableFuture<Void> running) {
        try {
            running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MatrixException.unknown(502, "Interrupted while waiting for remote media");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MatrixException matrix) {
                throw matrix;
            }
            throw MatrixException.unknown(502, "Remote media could not be fetched");
        }
    }

    /**
     * Reads the remote bytes for the store and copies each chunk to the client on the way. A client that goes away
     * does not stop the fetch: the copy is completed for the cache (and for requests waiting for it).
     */
    private static final class ClientTee extends FilterInputStream {

        private final OutputStream client;
        private boolean clientGone;

        ClientTee(InputStream remote, OutputStream client) {
            super(remote);
            this.client = client;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && !clientGone) {
                try {
                    client.write(b, off, n);
                    if (in.available() == 0) {
                        client.flush();
                    }
                } catch (IOException e) {
                    clientGone = true;
                }
            }
            return n;
        }

        void flushClient() {
            if (!clientGone) {
                try {
                    client.flush();
                } catch (IOException e) {
                    clientGone = true;
                }
            }
        }
    }
}

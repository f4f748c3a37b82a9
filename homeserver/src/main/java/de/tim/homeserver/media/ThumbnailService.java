package de.tim.homeserver.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/**
 * Thumbnails generated on demand and cached in the {@link MediaStore} (bucket files named after the
 * thumbnail key) with a record per media id, size and method. Two requests racing for the same thumbnail
 * both render; the first record wins and the loser's file is deleted.
 */
@Service
public class ThumbnailService {

    private final MediaRepository repository;
    private final MediaStore store;
    private final MediaProperties properties;
    private final Thumbnailer thumbnailer;
    /** Decoding is memory-heavy: at most this many renders at a time, the rest wait (on virtual threads). */
    private final java.util.concurrent.Semaphore renders =
            new java.util.concurrent.Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    ThumbnailService(MediaRepository repository, MediaStore store, MediaProperties properties) {
        this.repository = repository;
        this.store = store;
        this.properties = properties;
        this.thumbnailer = new Thumbnailer(properties.maxThumbnailPixels());
    }

    /**
     * The thumbnail of ready media for the requested size, or empty if the original is to be served (it is
     * not larger than requested).
     */
    public Optional<Thumbnail> thumbnail(Domain domain, Media media, ThumbnailSpec requested) throws IOException {
        if (!Thumbnailer.supports(media.contentType())) {
            throw new MatrixException(400, "M_UNKNOWN", "Cannot generate thumbnails for this content type");
        }
        if (media.size() > properties.maxThumbnailSourceSize().toBytes()) {
            throw MatrixException.tooLarge("The content is too large to thumbnail");
        }
        ThumbnailSpec spec = ThumbnailSpec.forRequest(requested.width(), requested.height(), requested.method());
        String key = spec.key(media.mediaId());
        Optional<Thumbnail> cached = repository.findThumbnail(domain.database(), key);
        if (cached.isPresent()) {
            return cached;
        }
        Optional<Thumbnailer.Rendered> rendered;
        renders.acquireUninterruptibly();
        try (InputStream in = store.open(domain.database(), media.fileId())) {
            rendered = thumbnailer.render(in, spec);
        } finally {
            renders.release();
        }
        if (rendered.isEmpty()) {
            return Optional.empty();
        }
        Thumbnailer.Rendered image = rendered.get();
        MediaStore.StoredFile file = store.store(domain.database(), key,
                new ByteArrayInputStream(image.bytes()), Long.MAX_VALUE);
        Thumbnail thumbnail = new Thumbnail(file.fileId(), image.contentType(), file.length(), image.width(),
                image.height());
        if (!repository.insertThumbnail(domain.database(), key, media.mediaId(), thumbnail)) {
            store.delete(domain.database(), file.fileId());
            return repository.findThumbnail(domain.database(), key).or(() -> Optional.of(thumbnail));
        }
        return Optional.of(thumbnail);
    }

    /** The bytes of a cached thumbnail. */
    public InputStream open(Domain domain, Thumbnail thumbnail) {
        return store.open(domain.database(), thumbnail.fileId());
    }
}

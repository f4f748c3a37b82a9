package de.tim.homeserver.media;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Pattern;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/**
 * The content repository of each domain: uploads (direct and asynchronous via created URIs), lookups for
 * download. Bytes go to the {@link MediaStore} as a stream, metadata to {@link MediaRepository}. Writes are
 * ordered so an interruption leaves at most an expired record that {@link MediaExpiry} removes: the
 * record (state uploading) first, then the bytes, then the record flips to ready.
 */
@Service
public class MediaService {

    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9.\\-]{1,255}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:[0-9]{1,5})?");
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final long POLL_MS = 200;

    private final MediaRepository repository;
    private final MediaStore store;
    private final MediaProperties properties;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    MediaService(MediaRepository repository, MediaStore store, MediaProperties properties) {
        this.repository = repository;
        this.store = store;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    public long maxUploadSize() {
        return properties.maxUploadSize().toBytes();
    }

    /** A created URI: media id and when it expires unless uploaded to. */
    public record Created(String mediaId, long unusedExpiresAt) {
    }

    /** {@code POST /upload}: stores the stream under a new media id. */
    public String upload(Domain domain, String userId, String contentType, String uploadName, long declaredLength,
            InputStream body) throws IOException {
        checkDeclaredLength(declaredLength);
        checkQuota(domain, userId, declaredLength);
        long now = clock.millis();
        String mediaId;
        do {
            mediaId = newMediaId();
        } while (!repository.insert(domain.database(), mediaId, userId, Media.UPLOADING, now,
                now + properties.unusedExpiry().toMillis()));
        storeAndComplete(domain, mediaId, userId, contentType, uploadName, body, Media.UPLOADING);
        return mediaId;
    }

    /** {@code POST /_matrix/media/v1/create}. */
    public Created create(Domain domain, String userId) {
        long now = clock.millis();
        if (repository.countPending(domain.database(), userId, now) >= properties.maxPendingUploads()) {
            throw new MatrixException(429, "M_LIMIT_EXCEEDED", "Too many pending uploads");
        }
        long expiresAt = now + properties.unusedExpiry().toMillis();
        String mediaId;
        do {
            mediaId = newMediaId();
        } while (!repository.insert(domain.database(), mediaId, userId, Media.PENDING, now, expiresAt));
        return new Created(mediaId, expiresAt);
    }

    /** {@code PUT /upload/{serverName}/{mediaId}}: only by the creator, only once, only before expiry. */
    public void uploadTo(Domain domain, String userId, String serverName, String mediaId, String contentType,
            String uploadName, long declaredLength, InputStream body) throws IOException {
        validate(serverName, mediaId);
        if (!domain.serverName().equals(serverName)) {
            throw MatrixException.notFound("Unknown media");
        }
        Media media = repository.find(domain.database(), mediaId)
                .filter(m -> m.ready() || m.unusedExpiresAt() == null || m.unusedExpiresAt() > clock.millis())
                .orElseThrow(() -> MatrixException.notFound("Unknown media"));
        if (!media.uploader().equals(userId)) {
            throw MatrixException.forbidden("The media was created by another user");
        }
        if (!Media.PENDING.equals(media.state())) {
            throw cannotOverwrite();
        }
        checkDeclaredLength(declaredLength);
        checkQuota(domain, userId, declaredLength);
        if (!repository.transition(domain.database(), mediaId, userId, Media.PENDING, Media.UPLOADING)) {
            throw cannotOverwrite();
        }
        storeAndComplete(domain, mediaId, userId, contentType, uploadName, body, Media.PENDING);
    }

    private void storeAndComplete(Domain domain, String mediaId, String userId, String contentType, String uploadName,
            InputStream body, String stateOnFailure) throws IOException {
        MediaStore.StoredFile file;
        try {
            file = store.store(domain.database(), mediaId, body, maxUploadSize());
        } catch (IOException | RuntimeException e) {
            if (Media.PENDING.equals(stateOnFailure)) {
                repository.transition(domain.database(), mediaId, userId, Media.UPLOADING, Media.PENDING);
            } else {
                repository.deleteIfState(domain.database(), mediaId, Media.UPLOADING);
            }
            throw e;
        }
        if (!repository.complete(domain.database(), mediaId, file, contentType, uploadName)) {
            store.delete(domain.database(), file.fileId());
            throw MatrixException.notFound("The media id expired during the upload");
        }
    }

    /**
     * The domain's own media to download once ready, waiting up to {@code timeoutMs} (bounded by the configured
     * maximum) while it is still being uploaded. Media of other servers is {@link RemoteMediaService}'s.
     */
    public Media find(Domain domain, String serverName, String mediaId, long timeoutMs) {
        validate(serverName, mediaId);
        long wait = Math.max(0, Math.min(timeoutMs, properties.maxDownloadWait().toMillis()));
        if (!domain.serverName().equals(serverName)) {
            throw MatrixException.notFound("Unknown media");
        }
        long deadline = clock.millis() + wait;
        while (true) {
            Media media = repository.find(domain.database(), mediaId)
                    .orElseThrow(() -> MatrixException.notFound("Unknown media"));
            if (media.ready()) {
                return media;
            }
            if (Media.DELETING.equals(media.state())) {
                throw MatrixException.notFound("Unknown media");
            }
            if (media.unusedExpiresAt() != null && media.unusedExpiresAt() <= clock.millis()) {
                throw MatrixException.notFound("Unknown media");
            }
            if (clock.millis() >= deadline) {
                throw new MatrixException(504, "M_NOT_YET_UPLOADED", "Content has not yet been uploaded");
            }
            pause();
        }
    }

    /** The bytes of ready media. */
    public InputStream open(Domain domain, Media media) {
        return store.open(domain.database(), media.fileId());
    }

    private void checkDeclaredLength(long declaredLength) {
        if (declaredLength > maxUploadSize()) {
            throw MatrixException.tooLarge("Cannot upload files larger than " + maxUploadSize() + " bytes");
        }
    }

    /**
     * The per-user quota, checked before the bytes are read (with the declared length, if any): concurrent
     * uploads of one user may overshoot it by what they carry.
     */
    private void checkQuota(Domain domain, String userId, long declaredLength) {
        if (properties.maxStoragePerUser() == null) {
            return;
        }
        long stored = repository.storedBytes(domain.database(), userId);
        if (stored + Math.max(0, declaredLength) > properties.maxStoragePerUser().toBytes()) {
            throw MatrixException.forbidden("Media storage quota exceeded");
        }
    }

    static void validate(String serverName, String mediaId) {
        if (serverName == null || !SERVER_NAME.matcher(serverName).matches() || mediaId == null
                || !MEDIA_ID.matcher(mediaId).matches()) {
            throw MatrixException.notFound("Unknown media");
        }
    }

    private String newMediaId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }

    private static MatrixException cannotOverwrite() {
        return new MatrixException(409, "M_CANNOT_OVERWRITE_MEDIA", "Media already uploaded");
    }

    /** Waiting for an upload in progress; requests run on virtual threads, so this parks no platform thread. */
    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatrixException(504, "M_NOT_YET_UPLOADED", "Content has not yet been uploaded");
        }
    }
}

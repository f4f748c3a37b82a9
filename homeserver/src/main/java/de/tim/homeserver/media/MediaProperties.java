package de.tim.homeserver.media;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The content repository.
 *
 * @param maxUploadSize           largest accepted upload (default 100MB); larger ones get 413 M_TOO_LARGE and nothing is stored
 * @param legacyEndpoints         whether the deprecated unauthenticated {@code /_matrix/media/v3/download|thumbnail|config}
 *                                endpoints answer (default true: TI-M approval tests use them); off = 404 M_UNRECOGNIZED
 * @param unusedExpiry            lifetime of an {@code mxc://} URI created by {@code POST /_matrix/media/v1/create}
 *                                and not uploaded to (default 24h, as the spec recommends)
 * @param maxPendingUploads       created but not yet uploaded URIs one user may hold (default 20); more get 429 M_LIMIT_EXCEEDED
 * @param maxDownloadWait         longest a download waits for content that is still being uploaded
 *                                ({@code timeout_ms}, default 20s); then 504 M_NOT_YET_UPLOADED
 * @param maxThumbnailPixels      largest image (width x height) that is thumbnailed (default 40 megapixels); larger: 413
 * @param maxThumbnailSourceSize  largest file that is thumbnailed (default 20MB); larger: 413
 * @param expiryInterval          how often expired unused URIs and abandoned uploads are removed (default 10m)
 * @param maxStoragePerUser       total size of the media one user may have uploaded (default unset: no quota);
 *                                an upload that would exceed it gets 403 M_FORBIDDEN
 * @param unreferencedExpiry      age after which uploaded media that no event or profile ever referenced is
 *                                deleted by the expiry job (default unset: off — attachments of encrypted
 *                                rooms are referenced only inside ciphertext, so they look unreferenced)
 * @param abandonedChunkAge       age after which GridFS chunks without a files document (an upload killed
 *                                mid-way) are deleted by the expiry job (default 24h)
 * @param legacyFreezeAt          the Matrix 1.12 "freeze" of the deprecated unauthenticated download/thumbnail
 *                                endpoints (default unset: not frozen): local media uploaded and remote media
 *                                cached at or after this instant answer 404 there (and remote media is not fetched
 *                                for them); the authenticated endpoints serve everything
 * @param remoteCacheRetention    time since the last access after which a cached copy of remote media (and its
 *                                cached thumbnails) is deleted by the expiry job (default 30d); the next request
 *                                fetches it again
 * @param remoteFetchTimeout      age after which a {@code fetching} record of remote media (an interrupted fetch)
 *                                is stale: the expiry job deletes it with the file it may have left (default 1h)
 */
@ConfigurationProperties(MediaProperties.PREFIX)
public record MediaProperties(DataSize maxUploadSize, Boolean legacyEndpoints, Duration unusedExpiry,
        Integer maxPendingUploads, Duration maxDownloadWait, Long maxThumbnailPixels, DataSize maxThumbnailSourceSize,
        Duration expiryInterval, DataSize maxStoragePerUser, Duration unreferencedExpiry, Duration abandonedChunkAge,
        java.time.Instant legacyFreezeAt, Duration remoteCacheRetention, Duration remoteFetchTimeout) {

    public static final String PREFIX = "tim.homeserver.media";

    public MediaProperties {
        maxUploadSize = maxUploadSize == null ? DataSize.ofMegabytes(100) : maxUploadSize;
        legacyEndpoints = legacyEndpoints == null || legacyEndpoints;
        unusedExpiry = unusedExpiry == null ? Duration.ofHours(24) : unusedExpiry;
        maxPendingUploads = maxPendingUploads == null ? 20 : maxPendingUploads;
        maxDownloadWait = maxDownloadWait == null ? Duration.ofSeconds(20) : maxDownloadWait;
        maxThumbnailPixels = maxThumbnailPixels == null ? 40_000_000L : maxThumbnailPixels;
        maxThumbnailSourceSize = maxThumbnailSourceSize == null ? DataSize.ofMegabytes(20) : maxThumbnailSourceSize;
        expiryInterval = expiryInterval == null ? Duration.ofMinutes(10) : expiryInterval;
        abandonedChunkAge = abandonedChunkAge == null ? Duration.ofHours(24) : abandonedChunkAge;
        remoteCacheRetention = remoteCacheRetention == null ? Duration.ofDays(30) : remoteCacheRetention;
        remoteFetchTimeout = remoteFetchTimeout == null ? Duration.ofHours(1) : remoteFetchTimeout;
        if (remoteCacheRetention.isNegative() || remoteCacheRetention.isZero() || remoteFetchTimeout.isNegative()
                || remoteFetchTimeout.isZero()) {
            throw new IllegalArgumentException("remote-cache-retention and remote-fetch-timeout must be positive");
        }
    }
}

package de.tim.homeserver.api.client.media;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

import de.tim.homeserver.auth.OptionalAuth;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.media.Media;
import de.tim.homeserver.media.MediaProperties;
import de.tim.homeserver.media.MediaService;
import de.tim.homeserver.media.RemoteMediaService;
import de.tim.homeserver.media.Thumbnail;
import de.tim.homeserver.media.ThumbnailService;
import de.tim.homeserver.media.ThumbnailSpec;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spec area "Content repository": downloads and thumbnails, authenticated ({@code /_matrix/client/v1/media})
 * and the deprecated unauthenticated ones ({@code /_matrix/media/v3}, switched by {@code legacy-endpoints}, frozen
 * from {@code legacy-freeze-at} if set; TI-M approval tests use them). Media of other servers comes from
 * {@link RemoteMediaService} (federation, cached). URL previews are not offered (TI-M forbids them).
 */
@RestController
public class MediaDownloadEndpoints {

    private final MediaService media;
    private final ThumbnailService thumbnails;
    private final MediaProperties properties;
    private final RemoteMediaService remote;

    MediaDownloadEndpoints(MediaService media, ThumbnailService thumbnails, MediaProperties properties,
            RemoteMediaService remote) {
        this.remote = remote;
        this.media = media;
        this.thumbnails = thumbnails;
        this.properties = properties;
    }

    /** {@code GET /_matrix/client/v1/media/download/{serverName}/{mediaId}} */
    @GetMapping("/_matrix/client/v1/media/download/{serverName}/{mediaId}")
    void download(Requester requester, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        serve(requester.domain(), request, response, serverName, mediaId, null, true, timeoutMs, false);
    }

    /** {@code GET /_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}} */
    @GetMapping("/_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}")
    void downloadAs(Requester requester, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId, @PathVariable String fileName,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        serve(requester.domain(), request, response, serverName, mediaId, fileName, true, timeoutMs, false);
    }

    /** {@code GET /_matrix/client/v1/media/thumbnail/{serverName}/{mediaId}} */
    @GetMapping("/_matrix/client/v1/media/thumbnail/{serverName}/{mediaId}")
    void thumbnail(Requester requester, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId,
            @RequestParam(name = "width", required = false) String width,
            @RequestParam(name = "height", required = false) String height,
            @RequestParam(name = "method", required = false) String method,
            @RequestParam(name = "animated", required = false) String animated,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        serveThumbnail(requester.domain(), request, response, serverName, mediaId, width, height, method, animated,
                true, timeoutMs, false);
    }

    /** {@code GET /_matrix/media/v3/download/{serverName}/{mediaId}} (deprecated, unauthenticated) */
    @GetMapping("/_matrix/media/v3/download/{serverName}/{mediaId}")
    void legacyDownload(Domain domain, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId,
            @RequestParam(name = "allow_remote", required = false) String allowRemote,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        LegacyMedia.require(properties);
        serve(domain, request, response, serverName, mediaId, null, MediaParams.flag(allowRemote, "allow_remote", true),
                timeoutMs, true);
    }

    /** {@code GET /_matrix/media/v3/download/{serverName}/{mediaId}/{fileName}} (deprecated, unauthenticated) */
    @GetMapping("/_matrix/media/v3/download/{serverName}/{mediaId}/{fileName}")
    void legacyDownloadAs(Domain domain, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId, @PathVariable String fileName,
            @RequestParam(name = "allow_remote", required = false) String allowRemote,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        LegacyMedia.require(properties);
        serve(domain, request, response, serverName, mediaId, fileName, MediaParams.flag(allowRemote, "allow_remote", true),
                timeoutMs, true);
    }

    /** {@code GET /_matrix/media/v3/thumbnail/{serverName}/{mediaId}} (deprecated, unauthenticated) */
    @GetMapping("/_matrix/media/v3/thumbnail/{serverName}/{mediaId}")
    void legacyThumbnail(Domain domain, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId,
            @RequestParam(name = "width", required = false) String width,
            @RequestParam(name = "height", required = false) String height,
            @RequestParam(name = "method", required = false) String method,
            @RequestParam(name = "animated", required = false) String animated,
            @RequestParam(name = "allow_remote", required = false) String allowRemote,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        LegacyMedia.require(properties);
        serveThumbnail(domain, request, response, serverName, mediaId, width, height, method, animated,
                MediaParams.flag(allowRemote, "allow_remote", true), timeoutMs, true);
    }

    /** {@code GET /_matrix/client/v1/media/preview_url}: URL previews are disabled in TI-M. */
    @GetMapping("/_matrix/client/v1/media/preview_url")
    void previewUrl(Requester requester) {
        throw MatrixException.unrecognized(404, "URL previews are disabled on this server");
    }

    /** {@code GET /_matrix/media/v3/preview_url}: URL previews are disabled in TI-M. */
    @GetMapping("/_matrix/media/v3/preview_url")
    void legacyPreviewUrl(@OptionalAuth Requester requester) {
        throw MatrixException.unrecognized(404, "URL previews are disabled on this server");
    }

    private void serve(Domain domain, HttpServletRequest request, HttpServletResponse response, String serverName,
            String mediaId, String fileName, boolean allowRemote, String timeoutMs, boolean legacy) throws IOException {
        long timeout = MediaParams.timeout(timeoutMs);
        Long frozen = legacy ? LegacyMedia.frozenAt(properties) : null;
        if (!domain.serverName().equals(serverName)) {
            if (!allowRemote) {
                throw MatrixException.notFound("Unknown media");
            }
            remote.download(domain, serverName, mediaId, timeout, frozen, new RemoteMediaService.Sink() {
                @Override
                public void cached(Media cached) throws IOException {
                    MediaResponses.write(request, response, cached.contentType(), cached.size(),
                            fileName != null ? fileName : cached.uploadName(), () -> remote.open(domain, cached));
                }

                @Override
                public OutputStream live(String contentType, String remoteName, long length) throws IOException {
                    return MediaResponses.writeLive(response, contentType, length, fileName != null ? fileName : remoteName);
                }
            });
            return;
        }
        Media found = LegacyMedia.unfrozen(media.find(domain, serverName, mediaId, timeout), frozen);
        MediaResponses.write(request, response, found.contentType(), found.size(),
                fileName != null ? fileName : found.uploadName(), () -> media.open(domain, found));
    }

    private void serveThumbnail(Domain domain, HttpServletRequest request, HttpServletResponse response,
            String serverName, String mediaId, String width, String height, String method, String animated,
            boolean allowRemote, String timeoutMs, boolean legacy) throws IOException {
        ThumbnailSpec spec = MediaParams.thumbnailSpec(width, height, method);
        MediaParams.flag(animated, "animated", false);
        long timeout = MediaParams.timeout(timeoutMs);
        Long frozen = legacy ? LegacyMedia.frozenAt(properties) : null;
        if (!domain.serverName().equals(serverName)) {
            if (!allowRemote || frozen != null) {
                // under the freeze a remote thumbnail is "newly cached" media: authenticated endpoints only
                throw MatrixException.notFound("Unknown media");
            }
            Thumbnail t = remote.thumbnail(domain, serverName, mediaId, spec, timeout);
            MediaResponses.write(request, response, t.contentType(), t.size(), null, () -> remote.open(domain, t));
            return;
        }
        Media found = LegacyMedia.unfrozen(media.find(domain, serverName, mediaId, timeout), frozen);
        Optional<Thumbnail> thumbnail = thumbnails.thumbnail(domain, found, spec);
        if (thumbnail.isEmpty()) {
            MediaResponses.write(request, response, found.contentType(), found.size(), null,
                    () -> media.open(domain, found));
            return;
        }
        Thumbnail t = thumbnail.get();
        MediaResponses.write(request, response, t.contentType(), t.size(), null, () -> thumbnails.open(domain, t));
    }
}

package de.tim.homeserver.api.client.media;

import java.io.IOException;
import java.util.Optional;

import de.tim.homeserver.auth.OptionalAuth;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.media.Media;
import de.tim.homeserver.media.MediaProperties;
import de.tim.homeserver.media.MediaService;
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
 * and the deprecated unauthenticated ones ({@code /_matrix/media/v3}, switched by {@code legacy-endpoints};
 * not frozen, TI-M approval tests use them). URL previews are not offered (TI-M forbids them).
 */
@RestController
public class MediaDownloadEndpoints {

    private final MediaService media;
    private final ThumbnailService thumbnails;
    private final MediaProperties properties;

    MediaDownloadEndpoints(MediaService media, ThumbnailService thumbnails, MediaProperties properties) {
        this.media = media;
        this.thumbnails = thumbnails;
        this.properties = properties;
    }

    /** {@code GET /_matrix/client/v1/media/download/{serverName}/{mediaId}} */
    @GetMapping("/_matrix/client/v1/media/download/{serverName}/{mediaId}")
    void download(Requester requester, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        serve(requester.domain(), request, response, serverName, mediaId, null, true, timeoutMs);
    }

    /** {@code GET /_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}} */
    @GetMapping("/_matrix/client/v1/media/download/{serverName}/{mediaId}/{fileName}")
    void downloadAs(Requester requester, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId, @PathVariable String fileName,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        serve(requester.domain(), request, response, serverName, mediaId, fileName, true, timeoutMs);
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
                timeoutMs);
    }

    /** {@code GET /_matrix/media/v3/download/{serverName}/{mediaId}} (deprecated, unauthenticated) */
    @GetMapping("/_matrix/media/v3/download/{serverName}/{mediaId}")
    void legacyDownload(Domain domain, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId,
            @RequestParam(name = "allow_remote", required = false) String allowRemote,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        LegacyMedia.require(properties);
        serve(domain, request, response, serverName, mediaId, null, MediaParams.flag(allowRemote, "allow_remote", true), timeoutMs);
    }

    /** {@code GET /_matrix/media/v3/download/{serverName}/{mediaId}/{fileName}} (deprecated, unauthenticated) */
    @GetMapping("/_matrix/media/v3/download/{serverName}/{mediaId}/{fileName}")
    void legacyDownloadAs(Domain domain, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId, @PathVariable String fileName,
            @RequestParam(name = "allow_remote", required = false) String allowRemote,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        LegacyMedia.require(properties);
        serve(domain, request, response, serverName, mediaId, fileName, MediaParams.flag(allowRemote, "allow_remote", true),
                timeoutMs);
    }

    /** {@code GET /_matrix/media/v3/thumbnail/{serverName}/{mediaId}} (deprecated, unauthenticated) */
    @GetMapping("/_matrix/media/v3/thumbnail/{serverName}/{mediaId}")
    void legacyThumbnail(Domain domain, HttpServletRequest request, HttpServletResponse response,
            @PathVariable String serverName, @PathVariable String mediaId,
            @RequestParam(name = "width", required = false) String width,
            @RequestParam(name = "height", required = false) String height,
            @RequestParam(name = "method", required = false) String method,
            @RequestParam(name = "animated", required = false) String animated,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        LegacyMedia.require(properties);
        serveThumbnail(domain, request, response, serverName, mediaId, width, height, method, animated, timeoutMs);
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
            String mediaId, String fileName, boolean allowRemote, String timeoutMs) throws IOException {
        Media found = media.find(domain, serverName, mediaId, allowRemote, MediaParams.timeout(timeoutMs));
        MediaResponses.write(request, response, found.contentType(), found.size(),
                fileName != null ? fileName : found.uploadName(), () -> media.open(domain, found));
    }

    private void serveThumbnail(Domain domain, HttpServletRequest request, HttpServletResponse response,
            String serverName, String mediaId, String width, String height, String method, String animated,
            String timeoutMs) throws IOException {
        ThumbnailSpec spec = MediaParams.thumbnailSpec(width, height, method);
        MediaParams.flag(animated, "animated", false);
        Media found = media.find(domain, serverName, mediaId, true, MediaParams.timeout(timeoutMs));
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

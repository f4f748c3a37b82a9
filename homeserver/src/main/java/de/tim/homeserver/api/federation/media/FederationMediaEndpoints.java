package de.tim.homeserver.api.federation.media;

import java.io.IOException;
import java.util.Optional;

import de.tim.homeserver.api.client.media.MediaParams;
import de.tim.homeserver.api.client.media.MediaResponses;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.media.Media;
import de.tim.homeserver.media.MediaService;
import de.tim.homeserver.media.Thumbnail;
import de.tim.homeserver.media.ThumbnailService;
import de.tim.homeserver.media.ThumbnailSpec;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Server-server spec area "Content Repository": other servers download our domain's own media (never media we
 * cached from a third server) as {@code multipart/mixed}. Authenticated by X-Matrix like every federation
 * request; unknown, expired and media being deleted answer 404 M_NOT_FOUND, media still being uploaded is
 * awaited up to {@code timeout_ms} (then 504 M_NOT_YET_UPLOADED). Any federated server that names the media id
 * gets it: see the README ("Federation media") for why the media model cannot restrict it further.
 */
@RestController
public class FederationMediaEndpoints {

    private final MediaService media;
    private final ThumbnailService thumbnails;

    FederationMediaEndpoints(MediaService media, ThumbnailService thumbnails) {
        this.media = media;
        this.thumbnails = thumbnails;
    }

    /** {@code GET /_matrix/federation/v1/media/download/{mediaId}} */
    @GetMapping("/_matrix/federation/v1/media/download/{mediaId}")
    void download(Domain domain, FederationOrigin origin, HttpServletResponse response, @PathVariable String mediaId,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        Media found = media.find(domain, domain.serverName(), mediaId, MediaParams.timeout(timeoutMs));
        String type = contentType(found.contentType());
        MultipartMediaResponse.write(response, type, MediaResponses.contentDisposition(type, found.uploadName()),
                found.size(), () -> media.open(domain, found));
    }

    /** {@code GET /_matrix/federation/v1/media/thumbnail/{mediaId}} */
    @GetMapping("/_matrix/federation/v1/media/thumbnail/{mediaId}")
    void thumbnail(Domain domain, FederationOrigin origin, HttpServletResponse response, @PathVariable String mediaId,
            @RequestParam(name = "width", required = false) String width,
            @RequestParam(name = "height", required = false) String height,
            @RequestParam(name = "method", required = false) String method,
            @RequestParam(name = "animated", required = false) String animated,
            @RequestParam(name = "timeout_ms", required = false) String timeoutMs) throws IOException {
        ThumbnailSpec spec = MediaParams.thumbnailSpec(width, height, method);
        MediaParams.flag(animated, "animated", false);
        Media found = media.find(domain, domain.serverName(), mediaId, MediaParams.timeout(timeoutMs));
        Optional<Thumbnail> thumbnail = thumbnails.thumbnail(domain, found, spec);
        if (thumbnail.isEmpty()) {
            String type = contentType(found.contentType());
            MultipartMediaResponse.write(response, type, MediaResponses.contentDisposition(type, null), found.size(),
                    () -> media.open(domain, found));
            return;
        }
        Thumbnail t = thumbnail.get();
        MultipartMediaResponse.write(response, t.contentType(), MediaResponses.contentDisposition(t.contentType(), null),
                t.size(), () -> thumbnails.open(domain, t));
    }

    private static String contentType(String stored) {
        return stored == null || stored.isBlank() ? "application/octet-stream" : stored;
    }
}

package de.tim.homeserver.api.client.media;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.media.MediaProperties;
import de.tim.homeserver.media.MediaService;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Content repository": uploads and the repository's configuration. Bodies are streamed, never buffered. */
@RestController
public class MediaUploadEndpoints {

    private static final Pattern CONTENT_TYPE = Pattern.compile("[\\x21-\\x7e]+/[\\x21-\\x7e]+(;[\\x20-\\x7e]*)?");

    private final MediaService media;
    private final MediaProperties properties;

    MediaUploadEndpoints(MediaService media, MediaProperties properties) {
        this.media = media;
        this.properties = properties;
    }

    /** {@code POST /_matrix/media/v3/upload} */
    @PostMapping("/_matrix/media/v3/upload")
    Map<String, Object> upload(Requester requester, HttpServletRequest request,
            @RequestParam(name = "filename", required = false) String filename) throws IOException {
        String mediaId = media.upload(requester.domain(), requester.userId(), contentType(request), uploadName(filename),
                request.getContentLengthLong(), request.getInputStream());
        return Map.of("content_uri", "mxc://" + requester.domain().serverName() + "/" + mediaId);
    }

    /** {@code POST /_matrix/media/v1/create} */
    @PostMapping("/_matrix/media/v1/create")
    Map<String, Object> create(Requester requester) {
        MediaService.Created created = media.create(requester.domain(), requester.userId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content_uri", "mxc://" + requester.domain().serverName() + "/" + created.mediaId());
        body.put("unused_expires_at", created.unusedExpiresAt());
        return body;
    }

    /** {@code PUT /_matrix/media/v3/upload/{serverName}/{mediaId}} */
    @PutMapping("/_matrix/media/v3/upload/{serverName}/{mediaId}")
    Map<String, Object> uploadTo(Requester requester, HttpServletRequest request, @PathVariable String serverName,
            @PathVariable String mediaId, @RequestParam(name = "filename", required = false) String filename)
            throws IOException {
        media.uploadTo(requester.domain(), requester.userId(), serverName, mediaId, contentType(request),
                uploadName(filename), request.getContentLengthLong(), request.getInputStream());
        return Map.of();
    }

    /** {@code GET /_matrix/client/v1/media/config} */
    @GetMapping("/_matrix/client/v1/media/config")
    Map<String, Object> config(Requester requester) {
        return Map.of("m.upload.size", media.maxUploadSize());
    }

    /** {@code GET /_matrix/media/v3/config} (deprecated; switched by {@code legacy-endpoints}) */
    @GetMapping("/_matrix/media/v3/config")
    Map<String, Object> legacyConfig(Requester requester) {
        LegacyMedia.require(properties);
        return config(requester);
    }

    private static String contentType(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && CONTENT_TYPE.matcher(type).matches() ? type : "application/octet-stream";
    }

    private static String uploadName(String filename) {
        if (filename == null || filename.isEmpty()) {
            return null;
        }
        if (filename.length() > 255 || filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw MatrixException.invalidParam("filename must be at most 255 characters without control characters");
        }
        return filename;
    }
}

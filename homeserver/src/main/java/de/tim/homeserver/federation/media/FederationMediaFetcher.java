package de.tim.homeserver.federation.media;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.FederationProperties;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.homeserver.media.RemoteMediaFetcher;
import de.tim.homeserver.media.ThumbnailSpec;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.InvalidJsonException;
import de.tim.matrix.json.StrictJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Opens media of other servers over federation, always through the egress: {@code GET
 * /_matrix/federation/v1/media/download|thumbnail/{mediaId}} (X-Matrix signed), whose {@code multipart/mixed}
 * answer is read part by part (the media part as a stream). A media part with a {@code Location} header is
 * followed once, unsigned, through the egress as well (so only to a federated host and only paths the egress
 * forwards: {@code /_matrix/federation/}, {@code /_matrix/media/}, {@code /_matrix/key/}).
 * A server that does not know the federation endpoints ({@code 404 M_UNRECOGNIZED}) is asked the deprecated
 * {@code /_matrix/media/v3/...} endpoint with {@code allow_remote=false}, as the spec requires.
 */
@Component
class FederationMediaFetcher implements RemoteMediaFetcher {

    private static final Logger log = LoggerFactory.getLogger(FederationMediaFetcher.class);
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    /** What the Messenger-Proxy's egress listener forwards. */
    private static final java.util.List<String> EGRESS_PATHS = java.util.List.of("/_matrix/federation/",
            "/_matrix/media/", "/_matrix/key/");
    private static final int MAX_METADATA_BYTES = 64 * 1024;
    private static final Pattern FILENAME_EXT = Pattern.compile("(?i)filename\\*\\s*=\\s*utf-8''([^;\\s]+)");
    private static final Pattern FILENAME = Pattern.compile("(?i)(?:^|;)\\s*filename\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]+))");

    private final FederationClient client;
    private final FederationProperties properties;

    FederationMediaFetcher(FederationClient client, FederationProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    public RemoteContent download(Domain domain, String serverName, String mediaId, long timeoutMs) {
        return open(domain, serverName, "/_matrix/federation/v1/media/download/" + mediaId + "?timeout_ms=" + timeoutMs,
                "/_matrix/media/v3/download/" + serverName + "/" + mediaId + "?allow_remote=false&timeout_ms=" + timeoutMs);
    }

    @Override
    public RemoteContent thumbnail(Domain domain, String serverName, String mediaId, ThumbnailSpec spec, long timeoutMs) {
        String query = "?width=" + spec.width() + "&height=" + spec.height() + "&method="
                + spec.method().name().toLowerCase(Locale.ROOT) + "&timeout_ms=" + timeoutMs;
        return open(domain, serverName, "/_matrix/federation/v1/media/thumbnail/" + mediaId + query,
                "/_matrix/media/v3/thumbnail/" + serverName + "/" + mediaId + query + "&allow_remote=false");
    }

    private RemoteContent open(Domain domain, String serverName, String path, String legacyPath) {
        FederationClient.Streamed answer = get(domain, serverName, path, true);
        try {
            if (answer.status() == 404 && "M_UNRECOGNIZED".equals(errcode(readError(answer)))) {
                answer.close();
                answer = get(domain, serverName, legacyPath, false);
                return plain(serverName, answer);
            }
            if (answer.status() / 100 != 2) {
                throw error(serverName, answer);
            }
            String boundary = MultipartMixedReader.boundary(answer.header("Content-Type"));
            if (boundary == null) {
                throw malformed(serverName, "answer is not multipart/mixed");
            }
            MultipartMixedReader reader = new MultipartMixedReader(answer.body(), boundary);
            MultipartMixedReader.Part metadata = reader.next();
            if (metadata == null || metadata.body().readNBytes(MAX_METADATA_BYTES + 1).length > MAX_METADATA_BYTES) {
                throw malformed(serverName, "bad metadata part");
            }
            MultipartMixedReader.Part media = reader.next();
            if (media == null) {
                throw malformed(serverName, "no media part");
            }
            String location = media.header("Location");
            if (location != null) {
                answer.close();
                return redirected(domain, serverName, location);
            }
            FederationClient.Streamed connection = answer;
            return new RemoteContent(media.header("Content-Type"), fileName(media.header("Content-Disposition")),
                    length(media.header("Content-Length")), watched(media.body(), connection), connection);
        } catch (IOException e) {
            answer.close();
            throw malformed(serverName, "unreadable answer");
        } catch (RuntimeException e) {
            answer.close();
            throw e;
        }
    }

    /** Follows a {@code Location} the origin handed out: once, unsigned, through the egress. */
    private RemoteContent redirected(Domain domain, String serverName, String location) {
        URI uri;
        try {
            uri = URI.create(location.trim());
        } catch (IllegalArgumentException e) {
            throw malformed(serverName, "bad Location");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null
                || uri.getRawPath() == null || EGRESS_PATHS.stream().noneMatch(uri.getRawPath()::startsWith)) {
            // the egress forwards only Matrix paths of federated servers
            throw malformed(serverName, "Location outside what the egress forwards");
        }
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        FederationClient.Streamed answer = get(domain, uri.getRawAuthority(), pathAndQuery, false);
        return plain(serverName, answer);
    }

    private FederationClient.Streamed get(Domain domain, String destination, String pathAndQuery, boolean signed) {
        try {
            return client.getStreamed(domain, destination, pathAndQuery, signed);
        } catch (FederationException e) {
            throw e.toClientError();
        } catch (IllegalArgumentException e) {
            throw MatrixException.unknown(502, "Remote media cannot be requested");
        }
    }

    /** A plain (not multipart) media answer: legacy endpoints and redirect targets. */
    private RemoteContent plain(String serverName, FederationClient.Streamed answer) {
        if (answer.status() / 100 != 2) {
            try {
                throw error(serverName, answer);
            } finally {
                answer.close();
            }
        }
        return new RemoteContent(answer.header("Content-Type"), fileName(answer.header("Content-Disposition")),
                length(answer.header("Content-Length")), watched(answer.body(), answer), answer);
    }

    /** The body fails once nothing arrived for the request timeout (see {@link IdleTimeoutInputStream}). */
    private InputStream watched(InputStream body, FederationClient.Streamed connection) {
        return new IdleTimeoutInputStream(body, properties.requestTimeout(), connection);
    }

    private MatrixException error(String serverName, FederationClient.Streamed answer) {
        JsonNode json = readError(answer);
        String errcode = errcode(json);
        int status = answer.status();
        if (status == 404) {
            return MatrixException.notFound("Unknown media");
        }
        if ("M_TOO_LARGE".equals(errcode)) {
            return new MatrixException(502, "M_TOO_LARGE", "Remote content is too large to serve");
        }
        if (status == 504 && "M_NOT_YET_UPLOADED".equals(errcode)) {
            return new MatrixException(504, "M_NOT_YET_UPLOADED", "Content has not yet been uploaded");
        }
        String message = json != null && json.path("error").isTextual() ? json.get("error").textValue() : "HTTP " + status;
        return new FederationException(serverName, status, errcode, message.length() > 200 ? message.substring(0, 200)
                : message).toClientError();
    }

    private static JsonNode readError(FederationClient.Streamed answer) {
        if (answer.status() / 100 == 2) {
            return null;
        }
        try (InputStream in = answer.body()) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BYTES);
            return bytes.length == 0 ? null : StrictJson.parse(bytes, StrictJson.Mode.ANY_NUMBERS);
        } catch (IOException | InvalidJsonException e) {
            return null;
        }
    }

    private static String errcode(JsonNode json) {
        return json != null && json.path("errcode").isTextual() ? json.get("errcode").textValue() : null;
    }

    private static MatrixException malformed(String serverName, String what) {
        log.info("Media answer of a remote server unusable: {}", what);
        return MatrixException.unknown(502, "Remote server " + serverName + " sent an unusable answer");
    }

    static long length(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The file name of a {@code Content-Disposition} ({@code filename*} preferred), or null. */
    static String fileName(String disposition) {
        if (disposition == null) {
            return null;
        }
        Matcher ext = FILENAME_EXT.matcher(disposition);
        if (ext.find()) {
            try {
                return URLDecoder.decode(ext.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        Matcher plain = FILENAME.matcher(disposition);
        if (plain.find()) {
            return plain.group(1) != null ? plain.group(1).replaceAll("\\\\(.)", "$1") : plain.group(2);
        }
        return null;
    }
}

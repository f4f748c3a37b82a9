package de.tim.push.retention;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The homeserver's Synapse-compatible admin API: {@code DELETE /_synapse/admin/v2/rooms/{roomId}} with
 * {@code {"purge": true}} removes the room's events, state and media; answers {@code {"delete_id": "..."}}.
 */
class HomeserverAdminClient {

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    HomeserverAdminClient(HttpClient http, ObjectMapper json, Duration timeout) {
        this.http = http;
        this.json = json;
        this.timeout = timeout;
    }

    /** Outcome of a delete request. */
    sealed interface Result {
        /** Accepted; {@code deleteId} may be null if the server did not return one. */
        record Deleted(String deleteId) implements Result { }

        /** The homeserver does not know the room (already deleted). */
        record NotFound() implements Result { }

        /** Anything else; retried on the next run. */
        record Failed(String reason) implements Result { }
    }

    Result deleteRoom(URI adminBaseUrl, String adminToken, String roomId) {
        String base = adminBaseUrl.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/_synapse/admin/v2/rooms/" + URLEncoder.encode(roomId, StandardCharsets.UTF_8).replace("+", "%20"));
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + adminToken)
                    .header("Content-Type", "application/json")
                    .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"purge\":true}"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status == 200) {
                String deleteId = null;
                try {
                    deleteId = json.readTree(response.body()).path("delete_id").asText(null);
                } catch (IOException | RuntimeException ignored) {
                    // accepted without a readable body
                }
                return new Result.Deleted(deleteId);
            }
            if (status == 404) {
                return new Result.NotFound();
            }
            return new Result.Failed("admin API answered " + status);
        } catch (IOException e) {
            return new Result.Failed("admin API not reachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Failed("interrupted");
        }
    }
}

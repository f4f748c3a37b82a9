package de.tim.gateway.check.invite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.tim.matrix.id.UserId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Asks the registration service whether the directory allows an invite:
 * {@code GET <uri>?inviter=<mxid>&invitee=<mxid>} answering {@code {"allowed": true|false}}. Every
 * failure counts as "not allowed" (fail closed). Answers are cached briefly per pair, in memory only.
 */
class RegistrationServiceDirectoryCheck implements DirectoryCheck {

    private static final Logger log = LoggerFactory.getLogger(RegistrationServiceDirectoryCheck.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CACHED = 50_000;

    private final HttpClient http;
    private final DirectoryCheckProperties properties;
    private final Clock clock;
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();

    RegistrationServiceDirectoryCheck(HttpClient http, DirectoryCheckProperties properties, Clock clock) {
        this.http = http;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public boolean allows(UserId inviter, UserId invitee) {
        if (properties.uri() == null) {
            log.warn("Stage 3 is not configured ({}.uri): the invite is refused", DirectoryCheckProperties.PREFIX);
            return false;
        }
        String key = inviter.value() + "\n" + invitee.value();
        Instant now = clock.instant();
        Answer cached = cache.get(key);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.allowed();
        }
        Boolean allowed = ask(inviter, invitee);
        if (allowed == null) {
            return false;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
        }
        if (cache.size() < MAX_CACHED) {
            cache.put(key, new Answer(allowed, now.plus(properties.cacheTtl())));
        }
        return allowed;
    }

    private Boolean ask(UserId inviter, UserId invitee) {
        URI uri = UriComponentsBuilder.fromUri(properties.uri())
                .queryParam("inviter", "{inviter}").queryParam("invitee", "{invitee}")
                .encode().buildAndExpand(inviter.value(), invitee.value()).toUri();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(properties.timeout()).GET()
                .header("Accept", "application/json");
        if (properties.accessToken() != null && !properties.accessToken().isBlank()) {
            request.header("Authorization", "Bearer " + properties.accessToken());
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.warn("Stage 3 check failed with status {}: the invite is refused", response.statusCode());
                return null;
            }
            JsonNode allowed = JSON.readTree(response.body()).get("allowed");
            if (allowed == null || !allowed.isBoolean()) {
                log.warn("Stage 3 check answered without a boolean 'allowed': the invite is refused");
                return null;
            }
            return allowed.asBoolean();
        } catch (IOException e) {
            log.warn("Stage 3 check unreachable ({}): the invite is refused", e.getClass().getSimpleName());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private record Answer(boolean allowed, Instant until) {
    }
}

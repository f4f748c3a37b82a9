package de.tim.gateway.federation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import org.springframework.web.util.UriComponentsBuilder;

/** Asks the registration service (I_internVerification) for a federation list newer than a known version. */
class FederationListFetcher {

    private final HttpClient http;
    private final FederationListProperties properties;

    FederationListFetcher(HttpClient http, FederationListProperties properties) {
        this.http = http;
        this.properties = properties;
    }

    /**
     * @return the compact JWS, or empty when the service has nothing newer than {@code knownVersion}
     * @throws FetchException when the service cannot be asked or answers with an error
     */
    Optional<String> fetchNewerThan(Long knownVersion) throws FetchException {
        if (properties.listUri() == null) {
            throw new FetchException("no federation list source is configured (" + FederationListProperties.PREFIX + ".list-uri)");
        }
        UriComponentsBuilder uri = UriComponentsBuilder.fromUri(properties.listUri());
        if (knownVersion != null) {
            uri.replaceQueryParam("version", knownVersion);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri.build(true).toUri())
                .timeout(properties.requestTimeout())
                .header("Accept", "application/jose, application/octet-stream");
        if (properties.accessToken() != null && !properties.accessToken().isBlank()) {
            request.header("Authorization", "Bearer " + properties.accessToken());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FetchException("registration service unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted");
        }
        return switch (response.statusCode()) {
            case 200 -> Optional.of(response.body().trim());
            case 204, 304 -> Optional.empty();
            default -> throw new FetchException("registration service answered " + response.statusCode());
        };
    }

    static final class FetchException extends Exception {
        FetchException(String message) {
            super(message, null, false, false);
        }
    }

}

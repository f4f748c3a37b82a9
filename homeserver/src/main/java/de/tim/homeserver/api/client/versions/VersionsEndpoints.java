package de.tim.homeserver.api.client.versions;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Server discovery / API standards": supported versions. */
@RestController
public class VersionsEndpoints {

    private final ClientVersionsProperties properties;

    VersionsEndpoints(ClientVersionsProperties properties) {
        this.properties = properties;
    }

    record Versions(List<String> versions, Map<String, Boolean> unstableFeatures) {
    }

    /** {@code GET /_matrix/client/versions} */
    @GetMapping("/_matrix/client/versions")
    Versions versions() {
        return new Versions(properties.versions(), properties.unstableFeatures());
    }
}

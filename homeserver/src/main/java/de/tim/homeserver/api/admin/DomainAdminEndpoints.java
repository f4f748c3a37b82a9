package de.tim.homeserver.api.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.homeserver.auth.RequesterArgumentResolver;
import de.tim.homeserver.auth.TokenService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainArgumentResolver;
import de.tim.homeserver.domain.DomainProperties;
import de.tim.homeserver.domain.DomainRegistry;
import de.tim.homeserver.federation.keys.SigningKeyRotation;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Our own admin API for Matrix domains (tenants): list, inspect, add at run time. Callers present the
 * provisioning secret as bearer token, or an access token of a server admin of the Host's domain.
 */
@RestController
public class DomainAdminEndpoints {

    private final DomainRegistry registry;
    private final DomainProperties properties;
    private final DomainArgumentResolver domains;
    private final TokenService tokens;
    private final UserService users;
    private final SigningKeyRotation rotation;

    DomainAdminEndpoints(DomainRegistry registry, DomainProperties properties, DomainArgumentResolver domains,
            TokenService tokens, UserService users, SigningKeyRotation rotation) {
        this.rotation = rotation;
        this.registry = registry;
        this.properties = properties;
        this.domains = domains;
        this.tokens = tokens;
        this.users = users;
    }

    record CreateRequest(String serverName, List<String> hosts, String publicBaseUrl, DomainProperties.Support support,
            Map<String, Object> wellKnownClient) {
    }

    /** {@code POST /_tim/admin/v1/domains}: 201 with the new domain. */
    @PostMapping("/_tim/admin/v1/domains")
    ResponseEntity<Map<String, Object>> create(HttpServletRequest request, @RequestBody CreateRequest body) {
        authorize(request);
        if (body.serverName() == null) {
            throw MatrixException.badJson("Missing server_name");
        }
        Domain domain = registry.create(new DomainProperties.DomainConfig(body.serverName(), body.hosts(), null,
                body.publicBaseUrl(), body.wellKnownClient(), body.support(), null, null));
        return ResponseEntity.status(201).body(toJson(domain));
    }

    /** {@code GET /_tim/admin/v1/domains} */
    @GetMapping("/_tim/admin/v1/domains")
    Map<String, Object> list(HttpServletRequest request) {
        authorize(request);
        return Map.of("domains", registry.all().stream()
                .sorted((a, b) -> a.serverName().compareTo(b.serverName())).map(DomainAdminEndpoints::toJson).toList());
    }

    /** {@code GET /_tim/admin/v1/domains/{serverName}} */
    @GetMapping("/_tim/admin/v1/domains/{serverName}")
    Map<String, Object> get(HttpServletRequest request, @PathVariable String serverName) {
        authorize(request);
        return toJson(registry.byServerName(serverName).orElseThrow(() -> MatrixException.notFound("Unknown domain")));
    }

    /** {@code POST /_tim/admin/v1/domains/{serverName}/rotate_signing_key}: new key; the old one stays in {@code old_verify_keys}. */
    @PostMapping("/_tim/admin/v1/domains/{serverName}/rotate_signing_key")
    Map<String, Object> rotateSigningKey(HttpServletRequest request, @PathVariable String serverName) {
        authorize(request);
        registry.byServerName(serverName).orElseThrow(() -> MatrixException.notFound("Unknown domain"));
        return toJson(rotation.rotate(serverName));
    }

    private void authorize(HttpServletRequest request) {
        String token = RequesterArgumentResolver.accessToken(request);
        if (token == null) {
            throw MatrixException.missingToken();
        }
        String secret = properties.provisioningSecret();
        if (secret != null && !secret.isEmpty() && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        Domain domain = domains.resolve(request);
        TokenService.Authenticated auth = tokens.authenticate(domain, token);
        if (!users.isAdmin(domain, auth.userId())) {
            throw MatrixException.forbidden("You are not a server admin");
        }
    }

    private static Map<String, Object> toJson(Domain domain) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("server_name", domain.serverName());
        json.put("hosts", domain.hosts());
        json.put("database", domain.databaseName());
        json.put("public_base_url", domain.publicBaseUrl());
        json.put("verify_keys", Map.of(domain.signingKey().keyId(), Map.of("key", domain.signingKey().verifyKey().publicKeyBase64())));
        return json;
    }
}

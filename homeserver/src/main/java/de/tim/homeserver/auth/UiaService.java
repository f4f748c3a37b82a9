package de.tim.homeserver.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.user.UserService;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.springframework.stereotype.Service;

/**
 * User-Interactive Authentication for sensitive operations of a logged-in user (delete devices,
 * change password, deactivate, get login token). Users with a password get the flow
 * {@code m.login.password}; users without one (SSO accounts) on a domain with OIDC get {@code m.login.sso}.
 */
@Service
public class UiaService {

    static final String PASSWORD = "m.login.password";
    static final String DUMMY = "m.login.dummy";
    /** The SSO stage, completed through the fallback page {@code /auth/m.login.sso/fallback/web}. */
    public static final String SSO = "m.login.sso";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UiaRepository repository;
    private final UserService users;
    private final AuthProperties properties;

    UiaService(UiaRepository repository, UserService users, AuthProperties properties) {
        this.repository = repository;
        this.users = users;
        this.properties = properties;
    }

    /**
     * Returns normally when {@code auth} completes the flow for {@code requester}; otherwise throws the
     * spec's 401 (new session, or the session with an error after a failed stage).
     */
    public void authenticate(Requester requester, JsonNode auth, String operation) {
        long now = System.currentTimeMillis();
        String stage = users.find(requester.domain(), requester.userId()).filter(u -> !u.hasPassword()).isPresent()
                && requester.domain().oidc() != null ? SSO : PASSWORD;
        String session = auth != null && auth.path("session").isTextual() ? auth.path("session").asText() : null;
        Document doc = null;
        if (session != null) {
            doc = validSession(requester.domain(), session, now);
            if (doc == null || !requester.userId().equals(doc.getString("user_id")) || !operation.equals(doc.getString("operation"))) {
                throw MatrixException.unknown(400, "Unknown or expired UIA session");
            }
        }
        if (auth == null || auth.isNull() || !auth.has("type")) {
            if (session == null) {
                session = newSession(requester, operation, now);
            }
            throw new UiaRequiredException(stage, session, completed(doc), null, null);
        }
        if (!auth.isObject() || !auth.path("type").isTextual()) {
            throw MatrixException.badJson("auth must be an object with a type");
        }
        if (session == null) {
            session = newSession(requester, operation, now);
        }
        String type = auth.path("type").asText();
        if (SSO.equals(type)) {
            if (!completed(doc).contains(SSO)) {
                throw new UiaRequiredException(stage, session, List.of(), null, null);
            }
            repository.delete(requester.domain().database(), session);
            return;
        }
        if (!PASSWORD.equals(type)) {
            throw new UiaRequiredException(stage, session, List.of(), "M_UNRECOGNIZED", "Unsupported authentication type");
        }
        String user = identifiedUser(auth);
        if (user != null && !user.equals(requester.userId())
                && !user.equals(requester.userId().substring(1, requester.userId().indexOf(':')))) {
            throw MatrixException.forbidden("Authenticated user differs from the requesting user");
        }
        JsonNode password = auth.path("password");
        if (!password.isTextual() || !users.checkPassword(requester.domain(), requester.userId(), password.asText())) {
            throw new UiaRequiredException(stage, session, List.of(), "M_FORBIDDEN", "Invalid password");
        }
        repository.delete(requester.domain().database(), session);
    }

    /** The user an open UIA session belongs to (for the SSO fallback page), if the session is valid. */
    public Optional<String> sessionUser(Domain domain, String session) {
        Document doc = validSession(domain, session, System.currentTimeMillis());
        return doc == null ? Optional.empty() : Optional.ofNullable(doc.getString("user_id"));
    }

    /** Marks the {@code m.login.sso} stage of the session complete once the provider confirmed {@code userId}. */
    public void completeSso(Domain domain, String session, String userId) {
        if (!sessionUser(domain, session).map(userId::equals).orElse(false)) {
            throw MatrixException.forbidden("The identity provider confirmed a different user");
        }
        repository.markCompleted(domain.database(), session, SSO);
    }

    private Document validSession(Domain domain, String session, long now) {
        Document doc = repository.find(domain.database(), session);
        if (doc == null || doc.get("created_ts", 0L) + properties.uiaSessionLifetime().toMillis() < now) {
            return null;
        }
        return doc;
    }

    private static List<String> completed(Document doc) {
        return doc == null ? List.of() : doc.getList("completed", String.class, List.of());
    }

    /**
     * UIA for unauthenticated operations (open registration): the one flow is {@code m.login.dummy}.
     * Returns normally once completed, otherwise throws the 401 with a new or the given session.
     */
    public void authenticateDummy(Domain domain, JsonNode auth, String operation) {
        long now = System.currentTimeMillis();
        String session = auth != null && auth.path("session").isTextual() ? auth.path("session").asText() : null;
        if (session != null) {
            Document doc = repository.find(domain.database(), session);
            if (doc == null || doc.getString("user_id") != null || !operation.equals(doc.getString("operation"))
                    || doc.get("created_ts", 0L) + properties.uiaSessionLifetime().toMillis() < now) {
                throw MatrixException.unknown(400, "Unknown or expired UIA session");
            }
        } else {
            session = newSession(domain, null, operation, now);
        }
        if (auth == null || !auth.isObject() || !auth.has("type")) {
            throw new UiaRequiredException(DUMMY, session, List.of(), null, null);
        }
        if (!DUMMY.equals(auth.path("type").asText())) {
            throw new UiaRequiredException(DUMMY, session, List.of(), "M_UNRECOGNIZED", "Unsupported authentication type");
        }
        repository.delete(domain.database(), session);
    }

    private String newSession(Requester requester, String operation, long now) {
        return newSession(requester.domain(), requester.userId(), operation, now);
    }

    private String newSession(Domain domain, String userId, String operation, long now) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        repository.insert(domain.database(), session, userId, operation, now,
                now - properties.uiaSessionLifetime().toMillis());
        return session;
    }

    private static String identifiedUser(JsonNode auth) {
        JsonNode identifier = auth.path("identifier");
        if (identifier.isObject()) {
            if (!"m.id.user".equals(identifier.path("type").asText())) {
                throw MatrixException.badJson("Only m.id.user identifiers are supported");
            }
            return identifier.path("user").isTextual() ? identifier.path("user").asText() : null;
        }
        return auth.path("user").isTextual() ? auth.path("user").asText() : null;
    }
}

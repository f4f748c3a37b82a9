package de.tim.homeserver.federation.query;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.client.FederationClient;
import de.tim.homeserver.federation.client.FederationException;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.id.UserId;
import org.springframework.stereotype.Service;

/**
 * Profiles of users of other servers for {@code GET /profile/{userId}[/field]}: asks the user's server with
 * {@code GET /_matrix/federation/v1/query/profile} for the whole profile (through the egress like every
 * federation request) and passes on only the asked field(s) of {@code displayname} and {@code avatar_url}
 * strings. The remote 404 becomes 404, other remote refusals pass through, no answer is 502.
 */
@Service
public class RemoteProfileService {

    private final FederationClient client;

    RemoteProfileService(FederationClient client) {
        this.client = client;
    }

    /** The profile (or one field of it, {@code field} null = all) of a user of another server. */
    public Map<String, Object> profile(Domain domain, String userId, String field) {
        UserId user = UserId.parseHistorical(userId);
        // the whole profile (one request shape for all three client endpoints), cut down here
        String path = "/_matrix/federation/v1/query/profile?user_id=" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
        JsonNode answer;
        try {
            answer = client.get(domain, user.domain().toString(), path);
        } catch (FederationException e) {
            if (e.isStatus(404)) {
                throw MatrixException.notFound("Profile not found");
            }
            throw e.toClientError();
        }
        Map<String, Object> profile = new LinkedHashMap<>();
        for (String name : new String[] {"displayname", "avatar_url"}) {
            if ((field == null || field.equals(name)) && answer.path(name).isTextual()) {
                profile.put(name, answer.get(name).textValue());
            }
        }
        return profile;
    }
}

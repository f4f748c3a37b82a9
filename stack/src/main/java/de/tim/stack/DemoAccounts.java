package de.tim.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The demo accounts of the local stack, matching the MXIDs of the simulators' seed directory entries,
 * created through the homeserver's Synapse-compatible shared-secret registration (the way admin tools
 * create accounts). Existing accounts are left as they are, so a restart changes nothing.
 */
final class DemoAccounts {

    /** Demo users per server name: practitioners and functional accounts of the seeded organisations. */
    static final List<String> USERS = List.of(
            "@anna.schmidt:praxis-a.tim.local", "@empfang:praxis-a.tim.local",
            "@ben.weber:klinik-b.tim.local", "@aufnahme:klinik-b.tim.local", "@kardiologie:klinik-b.tim.local");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String homeserverBase;
    private final String proxySecret;
    private final String registrationSecret;

    DemoAccounts(String homeserverBase, String proxySecret, String registrationSecret) {
        this.homeserverBase = homeserverBase;
        this.proxySecret = proxySecret;
        this.registrationSecret = registrationSecret;
    }

    /** Creates the demo users of the hosted server names that do not exist yet; returns the users of those domains. */
    List<String> ensure(List<String> serverNames, String password) {
        List<String> users = USERS.stream().filter(u -> serverNames.contains(u.substring(u.indexOf(':') + 1))).toList();
        try (CloseableHttpClient http = HttpClients.createDefault()) {
            for (String user : users) {
                register(http, user, password);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the demo accounts: " + e.getMessage(), e);
        }
        return users;
    }

    /**
     * An access token of the server admin {@code localpart} of {@code serverName}, created through shared-secret
     * registration on first use and logged in (fixed device id, so restarts replace its token) afterwards.
     */
    String adminToken(String serverName, String localpart, String password) {
        return accountToken(serverName, localpart, password, true, "TIM_RETENTION");
    }

    /**
     * An access token of the service account {@code localpart} of {@code serverName} (server admin or not), created
     * through shared-secret registration on first use, afterwards logged in on the fixed {@code deviceId}.
     */
    String accountToken(String serverName, String localpart, String password, boolean admin, String deviceId) {
        String userId = "@" + localpart + ":" + serverName;
        try (CloseableHttpClient http = HttpClients.createDefault()) {
            String token = register(http, userId, password, admin);
            return token != null ? token : login(http, serverName, localpart, password, deviceId);
        } catch (IOException e) {
            throw new IllegalStateException("cannot provide the account " + localpart + " of " + serverName + ": "
                    + e.getMessage(), e);
        }
    }

    private String login(CloseableHttpClient http, String host, String localpart, String password, String deviceId)
            throws IOException {
        var body = JSON.createObjectNode().put("type", "m.login.password").put("password", password)
                .put("device_id", deviceId).put("initial_device_display_name", "service account");
        body.putObject("identifier").put("type", "m.id.user").put("user", localpart);
        HttpPost post = new HttpPost(homeserverBase + "/_matrix/client/v3/login");
        headers(post, host);
        post.setEntity(new StringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        return http.execute(post, response -> {
            JsonNode answer = JSON.readTree(EntityUtils.toString(response.getEntity()));
            if (response.getCode() != 200 || !answer.hasNonNull("access_token")) {
                throw new IOException("service account login on " + host + " failed: HTTP " + response.getCode() + " "
                        + answer.path("errcode").asText());
            }
            return answer.get("access_token").asText();
        });
    }

    private void register(CloseableHttpClient http, String userId, String password) throws IOException {
        register(http, userId, password, false);
    }

    /** Registers the user; returns the new account's access token, or null if the account existed. */
    private String register(CloseableHttpClient http, String userId, String password, boolean admin) throws IOException {
        String localpart = userId.substring(1, userId.indexOf(':'));
        String host = userId.substring(userId.indexOf(':') + 1);
        HttpGet nonceRequest = new HttpGet(homeserverBase + "/_synapse/admin/v1/register");
        headers(nonceRequest, host);
        String nonce = http.execute(nonceRequest, response -> {
            JsonNode body = JSON.readTree(EntityUtils.toString(response.getEntity()));
            if (response.getCode() != 200 || !body.hasNonNull("nonce")) {
                throw new IOException("no registration nonce for " + host + " (HTTP " + response.getCode() + ")");
            }
            return body.get("nonce").asText();
        });
        var body = JSON.createObjectNode()
                .put("nonce", nonce).put("username", localpart).put("password", password).put("admin", admin)
                .put("mac", mac(nonce, localpart, password, admin));
        HttpPost post = new HttpPost(homeserverBase + "/_synapse/admin/v1/register");
        headers(post, host);
        post.setEntity(new StringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        return http.execute(post, response -> {
            String answer = EntityUtils.toString(response.getEntity());
            if (response.getCode() == 200) {
                return JSON.readTree(answer).path("access_token").asText(null);
            }
            JsonNode error = JSON.readTree(answer);
            if (response.getCode() == 400 && "M_USER_IN_USE".equals(error.path("errcode").asText())) {
                return null;
            }
            throw new IOException("registering a demo account on " + host + " failed: HTTP " + response.getCode()
                    + " " + error.path("errcode").asText());
        });
    }

    private void headers(org.apache.hc.core5.http.HttpRequest request, String host) {
        request.setHeader("Host", host);
        request.setHeader("X-Tim-Proxy-Auth", proxySecret);
    }

    private String mac(String nonce, String localpart, String password, boolean admin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(registrationSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + localpart + "\0" + password + (admin ? "\0admin" : "\0notadmin");
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

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

    private void register(CloseableHttpClient http, String userId, String password) throws IOException {
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
                .put("nonce", nonce).put("username", localpart).put("password", password).put("admin", false)
                .put("mac", mac(nonce, localpart, password));
        HttpPost post = new HttpPost(homeserverBase + "/_synapse/admin/v1/register");
        headers(post, host);
        post.setEntity(new StringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
        http.execute(post, response -> {
            String answer = EntityUtils.toString(response.getEntity());
            if (response.getCode() == 200) {
                return null;
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

    private String mac(String nonce, String localpart, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(registrationSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + "\0" + localpart + "\0" + password + "\0notadmin";
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

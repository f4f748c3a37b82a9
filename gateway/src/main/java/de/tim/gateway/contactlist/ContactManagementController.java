package de.tim.gateway.contactlist;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.gateway.listener.ListenerPredicates;
import de.tim.gateway.route.ServedDomains;
import de.tim.matrix.id.UserId;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** I_TiMessengerContactManagement (TiMessengerContactManagement.yaml 1.0.2), client listener only. */
@RestController
@RequestMapping(path = "${" + ContactManagementProperties.PREFIX + ".base-path:/tim-contact-mgmt/v"
        + ContactManagementProperties.API_VERSION + "}", produces = MediaType.APPLICATION_JSON_VALUE)
class ContactManagementController {

    private final ContactManagementService contacts;
    private final OpenIdTokenVerifier tokens;
    private final ContactManagementProperties properties;
    private final ListenerPredicates listeners;
    private final ServedDomains servedDomains;

    ContactManagementController(ContactManagementService contacts, OpenIdTokenVerifier tokens,
                                ContactManagementProperties properties, ListenerPredicates listeners,
                                ServedDomains servedDomains) {
        this.servedDomains = servedDomains;
        this.contacts = contacts;
        this.tokens = tokens;
        this.properties = properties;
        this.listeners = listeners;
    }

    /** {@code GET /} — getInfo. */
    @GetMapping({"", "/"})
    Map<String, String> info(HttpServletRequest request) {
        caller(request);
        var info = new java.util.LinkedHashMap<String, String>();
        info.put("title", properties.title());
        if (properties.description() != null) {
            info.put("description", properties.description());
        }
        if (properties.contact() != null) {
            info.put("contact", properties.contact());
        }
        info.put("version", ContactManagementProperties.API_VERSION);
        return info;
    }

    /** {@code GET /contacts} — getContacts. */
    @GetMapping("/contacts")
    ObjectNode list(HttpServletRequest request) {
        return ContactJson.writeAll(contacts.list(caller(request)));
    }

    /** {@code POST /contacts} — createContactSetting. */
    @PostMapping(path = "/contacts")
    ObjectNode create(HttpServletRequest request, @RequestBody(required = false) String body) {
        UserId owner = caller(request);
        return ContactJson.write(contacts.create(ContactJson.read(body, owner)));
    }

    /** {@code PUT /contacts} — updateContactSetting. */
    @PutMapping(path = "/contacts")
    ObjectNode update(HttpServletRequest request, @RequestBody(required = false) String body) {
        UserId owner = caller(request);
        return ContactJson.write(contacts.update(ContactJson.read(body, owner)));
    }

    /** {@code GET /contacts/{mxid}} — getContact. */
    @GetMapping("/contacts/{mxid}")
    ObjectNode get(HttpServletRequest request, @PathVariable String mxid) {
        UserId owner = caller(request);
        return ContactJson.write(contacts.get(owner, contactId(mxid)));
    }

    /** {@code DELETE /contacts/{mxid}} — deleteContactSetting. */
    @DeleteMapping("/contacts/{mxid}")
    ResponseEntity<Void> delete(HttpServletRequest request, @PathVariable String mxid) {
        UserId owner = caller(request);
        contacts.delete(owner, contactId(mxid));
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    private UserId caller(HttpServletRequest request) {
        if (!listeners.isClientListener(request)) {
            throw ContactManagementException.notFound("Not served here");
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw ContactManagementException.unauthorized("A Matrix OpenID token is required (Authorization: Bearer)");
        }
        String serverName = servedDomains.resolve(request.getHeader(HttpHeaders.HOST))
                .orElseThrow(() -> ContactManagementException.notFound("No Messenger-Service is served under this host"));
        return tokens.verify(authorization.substring(7).trim(), serverName);
    }

    private static UserId contactId(String mxid) {
        try {
            return UserId.parseHistorical(mxid);
        } catch (IllegalArgumentException e) {
            throw ContactManagementException.badRequest("mxid is not a Matrix user id");
        }
    }
}

package de.tim.homeserver.api.client.wellknown;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.domain.DomainProperties;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Server discovery": {@code /.well-known/matrix/client} and {@code /support}, per domain. */
@RestController
public class WellKnownEndpoints {

    /** {@code GET /.well-known/matrix/client} */
    @GetMapping("/.well-known/matrix/client")
    Map<String, Object> client(Domain domain) {
        Map<String, Object> body = new LinkedHashMap<>(domain.wellKnownClient());
        body.put("m.homeserver", Map.of("base_url", domain.publicBaseUrl()));
        return body;
    }

    /** {@code GET /.well-known/matrix/support}: 404 when the domain has no support information. */
    @GetMapping("/.well-known/matrix/support")
    Map<String, Object> support(Domain domain) {
        DomainProperties.Support support = domain.support();
        if (support == null || (support.contacts().isEmpty() && support.supportPage() == null)) {
            throw MatrixException.notFound("No support information configured");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!support.contacts().isEmpty()) {
            List<Map<String, Object>> contacts = new ArrayList<>();
            for (DomainProperties.Contact contact : support.contacts()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("role", contact.role() == null ? "m.role.admin" : contact.role());
                if (contact.matrixId() != null) {
                    c.put("matrix_id", contact.matrixId());
                }
                if (contact.emailAddress() != null) {
                    c.put("email_address", contact.emailAddress());
                }
                contacts.add(c);
            }
            body.put("contacts", contacts);
        }
        if (support.supportPage() != null) {
            body.put("support_page", support.supportPage());
        }
        return body;
    }
}

package de.tim.simulators.kim;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** HTTP API to read KIM mailboxes in tests. */
@RestController
@ConditionalOnProperty(prefix = KimProperties.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
@RequestMapping(path = "/kim", produces = MediaType.APPLICATION_JSON_VALUE)
public class KimController {

    private final KimMailServer server;

    KimController(KimMailServer server) {
        this.server = server;
    }

    /** GET /kim — ports of the mail server. */
    @GetMapping
    public Map<String, Object> info() {
        return Map.of("smtpPort", server.smtpPort(), "imapPort", server.imapPort());
    }

    /** GET /kim/mailboxes/{address}/messages — the INBOX, oldest first. */
    @GetMapping("/mailboxes/{address}/messages")
    public ResponseEntity<?> messages(@PathVariable("address") String address) {
        return server.inbox(address).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", "no such mailbox")));
    }

    /** DELETE /kim/mailboxes/{address}/messages. */
    @DeleteMapping("/mailboxes/{address}/messages")
    public ResponseEntity<?> clear(@PathVariable("address") String address) {
        return server.clear(address) ? ResponseEntity.noContent().build()
                : ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", "no such mailbox"));
    }

}

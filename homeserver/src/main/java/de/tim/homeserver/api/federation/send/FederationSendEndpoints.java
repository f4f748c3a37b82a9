package de.tim.homeserver.api.federation.send;

import com.fasterxml.jackson.databind.JsonNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.homeserver.federation.transaction.InboundTransactionService;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Server-server spec "Transactions": receiving PDUs and EDUs. */
@RestController
public class FederationSendEndpoints {

    private final InboundTransactionService transactions;

    FederationSendEndpoints(InboundTransactionService transactions) {
        this.transactions = transactions;
    }

    /** {@code PUT /_matrix/federation/v1/send/{txnId}} */
    @PutMapping("/_matrix/federation/v1/send/{txnId}")
    JsonNode send(Domain domain, FederationOrigin origin, @PathVariable String txnId, @RequestBody JsonNode body) {
        return transactions.receive(domain, origin, txnId, body);
    }
}

package de.tim.homeserver.federation.transaction;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.json.StrictJson;
import org.springframework.stereotype.Service;

/**
 * {@code PUT /_matrix/federation/v1/send/{txnId}}: at most 50 PDUs and 100 EDUs; each PDU goes through
 * {@link InboundPduHandler}, and the answer lists a result per PDU. A transaction is processed once per
 * (origin, txn id): a retry gets the stored answer. PDUs that cannot be parsed far enough to name an
 * event id are left out of the answer. EDUs are dispatched by {@link InboundEduHandler}.
 */
@Service
public class InboundTransactionService {

    static final int MAX_PDUS = 50;
    static final int MAX_EDUS = 100;
    private static final long KEEP_MS = 24L * 3600 * 1000;

    private final InboundTransactionRepository transactions;
    private final InboundPduHandler pdus;
    private final InboundEduHandler edus;

    InboundTransactionService(InboundTransactionRepository transactions, InboundPduHandler pdus, InboundEduHandler edus) {
        this.transactions = transactions;
        this.pdus = pdus;
        this.edus = edus;
    }

    public JsonNode receive(Domain domain, FederationOrigin origin, String txnId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw MatrixException.badJson("Transaction must be a JSON object");
        }
        JsonNode pduList = body.path("pdus");
        JsonNode eduList = body.path("edus");
        if (!pduList.isArray() || !(eduList.isMissingNode() || eduList.isArray())) {
            throw MatrixException.badJson("pdus must be an array, edus an array if present");
        }
        if (pduList.size() > MAX_PDUS || eduList.size() > MAX_EDUS) {
            throw MatrixException.badJson("At most " + MAX_PDUS + " PDUs and " + MAX_EDUS + " EDUs per transaction");
        }
        if (body.has("origin") && !origin.name().equals(body.path("origin").asText())) {
            throw MatrixException.forbidden("Transaction origin differs from the authenticated origin");
        }
        var stored = transactions.answer(domain.database(), origin.name(), txnId);
        if (stored.isPresent()) {
            return StrictJson.parse(stored.get());
        }
        Map<String, ObjectNode> results = new LinkedHashMap<>();
        InboundPduHandler.ResultSink sink = new InboundPduHandler.ResultSink() {
            @Override
            public void ok(String eventId) {
                results.putIfAbsent(eventId, JsonNodeFactory.instance.objectNode());
            }

            @Override
            public void error(String eventId, String error) {
                results.putIfAbsent(eventId, JsonNodeFactory.instance.objectNode().put("error", error));
            }
        };
        for (JsonNode pdu : pduList) {
            if (pdu instanceof ObjectNode json) {
                pdus.handle(domain, origin, json, sink);
            }
        }
        for (JsonNode edu : eduList) {
            edus.handle(domain, origin, edu);
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        ObjectNode pdusAnswer = answer.putObject("pdus");
        results.forEach(pdusAnswer::set);
        long now = System.currentTimeMillis();
        transactions.purgeBefore(domain.database(), now - KEEP_MS);
        transactions.save(domain.database(), origin.name(), txnId, CanonicalJson.encodeToString(answer), now);
        return answer;
    }
}

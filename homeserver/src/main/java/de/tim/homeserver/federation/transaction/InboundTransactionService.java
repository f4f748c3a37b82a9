package de.tim.homeserver.federation.transaction;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.federation.auth.FederationOrigin;
import de.tim.matrix.error.MatrixException;
import de.tim.matrix.json.CanonicalJson;
import de.tim.matrix.json.StrictJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * {@code PUT /_matrix/federation/v1/send/{txnId}}: at most 50 PDUs and 100 EDUs; each PDU goes through
 * {@link InboundPduHandler}, and the answer lists a result per PDU. A transaction is processed once per
 * (origin, txn id): a retry gets the stored answer. A retry that arrives while the first is still being
 * processed on this instance waits for it and gets the same answer (without processing it again); if the
 * first fails, the waiting retry processes it itself. Across instances two copies may be processed at once:
 * harmless, since persisting a PDU is idempotent (by event id) and EDUs are deduplicated or idempotent
 * (typing/receipt state, to-device message ids). PDUs that cannot be parsed far enough to name an event id
 * are left out of the answer. EDUs are dispatched by {@link InboundEduHandler}.
 */
@Service
public class InboundTransactionService {

    static final int MAX_PDUS = 50;
    static final int MAX_EDUS = 100;
    private static final long KEEP_MS = 24L * 3600 * 1000;
    /** Counter of retried transactions, tag {@code state}: {@code in_flight} (waited for) or {@code answered} (stored answer). */
    static final String DUPLICATES = "tim.homeserver.federation.inbound.duplicates";

    private final InboundTransactionRepository transactions;
    private final InboundPduHandler pdus;
    private final InboundEduHandler edus;
    /** Transactions being processed on this instance, by (domain, origin, txn id). */
    private final ConcurrentMap<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    InboundTransactionService(InboundTransactionRepository transactions, InboundPduHandler pdus, InboundEduHandler edus,
            ObjectProvider<MeterRegistry> meters) {
        this.transactions = transactions;
        this.pdus = pdus;
        this.edus = edus;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
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
        String key = domain.serverName() + "\n" + origin.name() + "\n" + txnId;
        while (true) {
            var stored = transactions.answer(domain.database(), origin.name(), txnId);
            if (stored.isPresent()) {
                meters.counter(DUPLICATES, "state", "answered").increment();
                return StrictJson.parse(stored.get());
            }
            CompletableFuture<JsonNode> mine = new CompletableFuture<>();
            CompletableFuture<JsonNode> running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                try {
                    // the answer may have been stored between the look-up above and taking the slot
                    var storedMeanwhile = transactions.answer(domain.database(), origin.name(), txnId);
                    JsonNode answer = storedMeanwhile.isPresent() ? StrictJson.parse(storedMeanwhile.get())
                            : process(domain, origin, txnId, pduList, eduList);
                    mine.complete(answer);
                    return answer;
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e);
                    throw e;
                } finally {
                    inFlight.remove(key, mine);
                }
            }
            meters.counter(DUPLICATES, "state", "in_flight").increment();
            try {
                // parks only this request's virtual thread
                return running.get().deepCopy();
            } catch (ExecutionException e) {
                // the first processing failed without storing an answer: try again (stored answer, or process it here)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MatrixException.unknown(503, "Interrupted while the transaction was processed");
            }
        }
    }

    private JsonNode process(Domain domain, FederationOrigin origin, String txnId, JsonNode pduList, JsonNode eduList) {
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

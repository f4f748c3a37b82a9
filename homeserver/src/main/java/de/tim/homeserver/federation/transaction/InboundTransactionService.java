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
 * (origin, txn id), whichever instance each copy reaches: a retry gets the stored answer. A retry that arrives while
 * the first copy is still being processed on this instance waits for it in memory; one that reaches another instance
 * finds the first one's claim ({@link InboundTransactionClaims}) and waits for the stored answer, at most
 * {@code claim-wait} (then 503, and the sender retries). If the first processing fails, its claim is given up and a
 * waiting or later copy processes the transaction itself; if its instance dies, the claim expires after
 * {@code claim-lease} and the next copy takes it over. PDUs that cannot be parsed far enough to name an event id
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
    private final InboundTransactionClaims claims;
    /** Transactions being processed on this instance, by (domain, origin, txn id). */
    private final ConcurrentMap<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();

    private final MeterRegistry meters;

    InboundTransactionService(InboundTransactionRepository transactions, InboundPduHandler pdus, InboundEduHandler edus,
            InboundTransactionClaims claims, ObjectProvider<MeterRegistry> meters) {
        this.transactions = transactions;
        this.claims = claims;
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
            var stored = transactions.find(domain.database(), origin.name(), txnId);
            if (stored.isPresent() && stored.get().answered()) {
                meters.counter(DUPLICATES, "state", "answered").increment();
                return StrictJson.parse(stored.get().answer());
            }
            CompletableFuture<JsonNode> mine = new CompletableFuture<>();
            CompletableFuture<JsonNode> running = inFlight.putIfAbsent(key, mine);
            if (running == null) {
                try {
                    JsonNode answer = claimAndProcess(domain, origin, txnId, pduList, eduList);
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
                if (e.getCause() instanceof MatrixException m && m.status() == 503) {
                    throw m; // the copy on this instance waited for another instance in vain: so does this one
                }
                // the first processing failed without storing an answer: try again (stored answer, or process it here)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw MatrixException.unknown(503, "Interrupted while the transaction was processed");
            }
        }
    }

    /** The stored answer (perhaps after waiting for another instance), or the answer of processing it under our claim. */
    private JsonNode claimAndProcess(Domain domain, FederationOrigin origin, String txnId, JsonNode pduList, JsonNode eduList) {
        InboundTransactionClaims.Acquired acquired = claims.acquire(domain, origin.name(), txnId);
        if (acquired.claim() == null) {
            return StrictJson.parse(acquired.answer());
        }
        try {
            JsonNode answer = process(domain, origin, pduList, eduList);
            claims.answered(acquired.claim(), CanonicalJson.encodeToString(answer));
            return answer;
        } catch (RuntimeException | Error e) {
            claims.failed(acquired.claim());
            throw e;
        }
    }

    private JsonNode process(Domain domain, FederationOrigin origin, JsonNode pduList, JsonNode eduList) {
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
        transactions.purgeBefore(domain.database(), System.currentTimeMillis() - KEEP_MS);
        return answer;
    }
}

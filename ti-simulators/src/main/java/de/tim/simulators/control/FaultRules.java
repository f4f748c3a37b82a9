package de.tim.simulators.control;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * Injected failures and delays, per path prefix (the longest matching prefix wins). A rule answers with
 * {@code status} (0: pass the request on after the delay) and can be limited to a number of requests. Thread-safe.
 */
@Component
public class FaultRules {

    /**
     * @param pathPrefix request path prefix, e.g. {@code /tim-provider-services/FederationList}
     * @param status     HTTP status to answer with, or 0 to only delay
     * @param delay      delay before answering/passing on
     * @param times      how many requests the rule applies to; 0 or negative: until removed
     */
    public record Fault(String pathPrefix, int status, Duration delay, int times) {
    }

    private record Active(Fault fault, AtomicInteger remaining) {
    }

    private final Map<String, Active> rules = new ConcurrentHashMap<>();

    public void add(Fault fault) {
        if (fault.pathPrefix() == null || !fault.pathPrefix().startsWith("/")) {
            throw new IllegalArgumentException("pathPrefix must start with /");
        }
        if (fault.status() != 0 && (fault.status() < 100 || fault.status() > 599)) {
            throw new IllegalArgumentException("status must be 0 or an HTTP status");
        }
        rules.put(fault.pathPrefix(), new Active(fault, new AtomicInteger(fault.times() > 0 ? fault.times() : -1)));
    }

    public void clear() {
        rules.clear();
    }

    public boolean remove(String pathPrefix) {
        return rules.remove(pathPrefix) != null;
    }

    public List<Fault> list() {
        return rules.values().stream().map(Active::fault).sorted(Comparator.comparing(Fault::pathPrefix)).toList();
    }

    /** The rule for this path, consuming one use of it. */
    public Optional<Fault> take(String path) {
        return rules.values().stream()
                .filter(a -> path.startsWith(a.fault().pathPrefix()))
                .max(Comparator.comparingInt(a -> a.fault().pathPrefix().length()))
                .filter(a -> {
                    int left = a.remaining().get();
                    if (left < 0) {
                        return true;
                    }
                    while (left > 0) {
                        if (a.remaining().compareAndSet(left, left - 1)) {
                            if (left == 1) {
                                rules.remove(a.fault().pathPrefix(), a);
                            }
                            return true;
                        }
                        left = a.remaining().get();
                    }
                    return false;
                })
                .map(Active::fault);
    }
}

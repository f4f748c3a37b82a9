package de.tim.homeserver.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixException;
import org.springframework.stereotype.Service;

/**
 * In-memory token buckets per (action, domain, key). Per instance by design: a cache that may be lost,
 * bounding abuse per instance rather than exactly per cluster.
 */
@Service
public class RateLimiter {

    /** What is limited. */
    public enum Action { LOGIN, LOGIN_ACCOUNT, REGISTRATION, MESSAGE, FEDERATION, FEDERATION_HEAVY }

    private static final int MAX_BUCKETS = 100_000;

    private final RateLimitProperties properties;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(RateLimitProperties properties) {
        this.properties = properties;
    }

    /** Takes one token or throws 429 M_LIMIT_EXCEEDED. */
    public void acquire(Action action, Domain domain, String key) {
        if (!properties.enabled()) {
            return;
        }
        RateLimitProperties.Limit limit = switch (action) {
            case LOGIN -> properties.login();
            case LOGIN_ACCOUNT -> properties.loginAccount();
            case REGISTRATION -> properties.registration();
            case MESSAGE -> properties.message();
            case FEDERATION -> properties.federation();
            case FEDERATION_HEAVY -> properties.federationHeavy();
        };
        if (buckets.size() > MAX_BUCKETS) {
            long now = System.nanoTime();
            buckets.values().removeIf(b -> b.idleFull(now));
        }
        Bucket bucket = buckets.computeIfAbsent(action + "|" + domain.serverName() + "|" + key,
                k -> new Bucket(limit.perSecond(), limit.burstCount()));
        long retryAfterMs = bucket.take();
        if (retryAfterMs > 0) {
            throw MatrixException.limitExceeded(retryAfterMs);
        }
    }

    private static final class Bucket {
        private final double perSecond;
        private final int burst;
        private double tokens;
        private long last = System.nanoTime();

        Bucket(double perSecond, int burst) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized long take() {
            refill(System.nanoTime());
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1000));
        }

        synchronized boolean idleFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
        }
    }
}

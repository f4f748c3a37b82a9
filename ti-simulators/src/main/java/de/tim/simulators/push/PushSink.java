package de.tim.simulators.push;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

/** What the push sink received, and how it answers per device token. Thread-safe. */
@Component
public class PushSink {

    /** How the sink answers for a device token. */
    public enum Behaviour {
        /** 200. */
        ACCEPT,
        /** Permanent error: FCM 404 UNREGISTERED, APNs 410 Unregistered. */
        UNREGISTERED,
        /** Transient error: 503. */
        UNAVAILABLE,
        /** Transient error: keep the request hanging, then 504. */
        TIMEOUT
    }

    /** A received notification. */
    public record Received(String provider, String target, String token, Map<String, String> headers, JsonNode body,
                           Instant receivedAt, Behaviour answeredWith) {
    }

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Deque<Received> received = new ArrayDeque<>();
    private final int maxRecorded;

    public PushSink(PushProperties properties) {
        this.maxRecorded = properties.maxRecorded();
    }

    public Behaviour behaviour(String token) {
        return token == null ? Behaviour.ACCEPT : behaviours.getOrDefault(token, Behaviour.ACCEPT);
    }

    public void setBehaviour(String token, Behaviour behaviour) {
        if (behaviour == Behaviour.ACCEPT) {
            behaviours.remove(token);
        } else {
            behaviours.put(token, behaviour);
        }
    }

    public synchronized void record(Received notification) {
        received.addLast(notification);
        while (received.size() > maxRecorded) {
            received.removeFirst();
        }
    }

    public synchronized List<Received> received(String token) {
        return received.stream().filter(r -> token == null || token.equals(r.token())).toList();
    }

    public synchronized void reset() {
        received.clear();
        behaviours.clear();
    }
}

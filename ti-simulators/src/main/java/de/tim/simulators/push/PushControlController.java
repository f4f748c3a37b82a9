package de.tim.simulators.push;

import java.util.List;
import java.util.Locale;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Test API of the push sink: what was received, and how to answer per device token. */
@RestController
@RequestMapping(path = "/control/push", produces = MediaType.APPLICATION_JSON_VALUE)
public class PushControlController {

    private final PushSink sink;

    public PushControlController(PushSink sink) {
        this.sink = sink;
    }

    /** GET /control/push/received[?token=] */
    @GetMapping("/received")
    public List<PushSink.Received> received(@RequestParam(name = "token", required = false) String token) {
        return sink.received(token);
    }

    /** PUT /control/push/tokens/{token}?behaviour=accept|unregistered|unavailable|timeout */
    @PutMapping("/tokens/{token}")
    public ResponseEntity<Void> behaviour(@PathVariable("token") String token, @RequestParam("behaviour") String behaviour) {
        sink.setBehaviour(token, PushSink.Behaviour.valueOf(behaviour.toUpperCase(Locale.ROOT)));
        return ResponseEntity.noContent().build();
    }

    /** DELETE /control/push — forget everything received and all token behaviours. */
    @DeleteMapping
    public ResponseEntity<Void> reset() {
        sink.reset();
        return ResponseEntity.noContent().build();
    }
}

package de.tim.homeserver.api.client.pusher;

import java.util.Map;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.pusher.PusherService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Push notifications: client behaviour" (pushers). */
@RestController
public class PusherEndpoints {

    private final PusherService pushers;

    PusherEndpoints(PusherService pushers) {
        this.pushers = pushers;
    }

    /** {@code GET /_matrix/client/v3/pushers} */
    @GetMapping("/_matrix/client/v3/pushers")
    Map<String, Object> list(Requester requester) {
        return Map.of("pushers", pushers.list(requester.domain(), requester.userId()));
    }

    /** {@code POST /_matrix/client/v3/pushers/set} */
    @PostMapping("/_matrix/client/v3/pushers/set")
    Map<String, Object> set(Requester requester, @RequestBody PusherService.PusherRequest request) {
        pushers.set(requester.domain(), requester.userId(), requester.deviceId(), request);
        return Map.of();
    }
}

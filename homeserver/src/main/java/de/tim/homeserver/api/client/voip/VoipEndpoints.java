package de.tim.homeserver.api.client.voip;

import java.util.Map;

import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.voip.TurnService;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Voice over IP": TURN server credentials. */
@RestController
public class VoipEndpoints {

    private final TurnService turn;

    VoipEndpoints(TurnService turn) {
        this.turn = turn;
    }

    /** {@code GET /_matrix/client/v3/voip/turnServer}: empty object when no TURN server is configured. */
    @GetMapping("/_matrix/client/v3/voip/turnServer")
    Object turnServer(Requester requester) {
        return turn.credentials(requester.userId()).<Object>map(c -> c).orElse(Map.of());
    }
}

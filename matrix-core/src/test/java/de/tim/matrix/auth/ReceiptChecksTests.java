package de.tim.matrix.auth;

import static de.tim.matrix.auth.TestRoom.ALICE;
import static de.tim.matrix.auth.TestRoom.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import de.tim.matrix.event.Pdu;
import de.tim.matrix.event.RoomVersion;
import de.tim.matrix.event.StateKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptChecksTests {

    private final ReceiptChecks checks = new ReceiptChecks(TestRoom.AUTHORIZER);

    @Test
    void acceptsRejectsAndSoftFails() {
        TestRoom room = TestRoom.standard(RoomVersion.V11);
        room.accept(room.member(ALICE, BOB, "invite"));
        room.accept(room.member(BOB, BOB, "join"));
        Map<StateKey, Pdu> before = new HashMap<>(room.state);
        Pdu message = room.message(BOB, "m.room.message");
        List<Pdu> auth = CreateAndAuthEventsRulesTests.authEventsOf(room, message);
        assertThat(checks.decide(message, auth, id -> false, before, room.state).outcome())
                .isEqualTo(ReceiptChecks.Outcome.ACCEPT);

        room.accept(room.member(ALICE, BOB, "ban"));
        ReceiptChecks.Decision softFail = checks.decide(message, auth, id -> false, before, room.state);
        assertThat(softFail.outcome()).isEqualTo(ReceiptChecks.Outcome.SOFT_FAIL);
        assertThat(softFail.reason()).contains("current state").contains("5");

        ReceiptChecks.Decision rejected = checks.decide(message, auth, id -> false, room.state, room.state);
        assertThat(rejected.outcome()).isEqualTo(ReceiptChecks.Outcome.REJECT);
        assertThat(rejected.reason()).startsWith("state before");

        ReceiptChecks.Decision badAuth = checks.decide(message, auth, id -> true, before, before);
        assertThat(badAuth.outcome()).isEqualTo(ReceiptChecks.Outcome.REJECT);
        assertThat(badAuth.reason()).contains("2.3");
    }
}

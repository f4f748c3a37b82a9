package de.tim.homeserver.api.client.account;

import de.tim.homeserver.domain.Domain;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The {@code requestToken} endpoints of e-mail addresses and phone numbers (registration, password reset, binding
 * to an account). A TI-Messenger account has no third-party identifiers (capability {@code m.3pid_changes} off;
 * accounts come from the organisation), so no address is accepted and no message is sent: 403
 * {@code M_THREEPID_DENIED}, the spec's answer for an address the homeserver does not permit. The body is not
 * read, so nothing of it can reach a log.
 */
@RestController
public class ThreePidTokenEndpoints {

    @PostMapping({"/_matrix/client/v3/register/email/requestToken", "/_matrix/client/v3/register/msisdn/requestToken",
            "/_matrix/client/v3/account/password/email/requestToken", "/_matrix/client/v3/account/password/msisdn/requestToken",
            "/_matrix/client/v3/account/3pid/email/requestToken", "/_matrix/client/v3/account/3pid/msisdn/requestToken"})
    Object requestToken(Domain domain) {
        throw new MatrixException(403, MatrixErrorCodes.M_THREEPID_DENIED,
                "This server does not use e-mail addresses or phone numbers");
    }
}

package de.tim.simulators.kim;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The KIM mailbox simulator (an embedded SMTP/IMAP server).
 *
 * @param enabled     start the mail server
 * @param bindAddress address the servers bind to
 * @param smtpPort    SMTP port; 0 for a random free port
 * @param imapPort    IMAP port; 0 for a random free port
 * @param password    password of every seeded mailbox (login = the KIM address)
 */
@ConfigurationProperties(KimProperties.PREFIX)
public record KimProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("127.0.0.1") String bindAddress,
        @DefaultValue("3025") int smtpPort,
        @DefaultValue("3143") int imapPort,
        @DefaultValue("kim") String password) {

    public static final String PREFIX = "tim.simulators.kim";
}

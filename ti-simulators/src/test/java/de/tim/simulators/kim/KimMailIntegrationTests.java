package de.tim.simulators.kim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import de.tim.simulators.SimulatorIntegrationTestBase;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

class KimMailIntegrationTests extends SimulatorIntegrationTestBase {

    @Autowired
    KimMailServer server;

    @Test
    void seededMailboxesReceiveSmtpMailReadableOverHttpAndImap() throws Exception {
        String subject = "Bestaetigung " + UUID.randomUUID();
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", String.valueOf(server.smtpPort()));
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("registrierung@tim-fachdienst.local"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("klinik-b@kim.tim.local"));
        message.setSubject(subject);
        message.setText("Bitte bestaetigen: https://localhost/confirm/abc");
        Transport.send(message);

        var inbox = http.get("/kim/mailboxes/klinik-b@kim.tim.local/messages").json();
        assertThat(inbox.findValuesAsText("subject")).contains(subject);
        assertThat(inbox.findValuesAsText("text")).anySatisfy(t -> assertThat(t).contains("/confirm/abc"));

        Store store = session.getStore("imap");
        store.connect("127.0.0.1", server.imapPort(), "klinik-b@kim.tim.local", "kim");
        try {
            Folder folder = store.getFolder("INBOX");
            folder.open(Folder.READ_ONLY);
            assertThat(java.util.Arrays.stream(folder.getMessages()).map(m -> {
                try {
                    return m.getSubject();
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            })).contains(subject);
            folder.close(false);
        } finally {
            store.close();
        }
        assertThat(http.get("/kim/mailboxes/nobody@kim.tim.local/messages").status()).isEqualTo(404);
        assertThat(http.get("/kim").json().get("smtpPort").asInt()).isEqualTo(server.smtpPort());
    }
}

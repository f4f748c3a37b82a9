package de.tim.simulators.kim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.springframework.context.SmartLifecycle;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/** An embedded SMTP and IMAP server (GreenMail) with one mailbox per KIM address. */
public class KimMailServer implements SmartLifecycle {

    /** A received mail as the HTTP API shows it. */
    public record Mail(String messageId, String from, List<String> to, String subject, String text, Date sentAt) {
    }

    private final KimProperties properties;
    private final GreenMail greenMail;
    private volatile boolean running;

    public KimMailServer(KimProperties properties) {
        this.properties = properties;
        this.greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(properties.smtpPort(), properties.bindAddress(), ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(properties.imapPort(), properties.bindAddress(), ServerSetup.PROTOCOL_IMAP)});
    }

    @Override
    public void start() {
        greenMail.start();
        running = true;
    }

    @Override
    public void stop() {
        greenMail.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    /** Creates the mailbox if it does not exist; login is the address, password from the properties. */
    public synchronized void addMailbox(String address) {
        if (greenMail.getUserManager().getUserByEmail(address) == null) {
            greenMail.setUser(address, address, properties.password());
        }
    }

    public boolean hasMailbox(String address) {
        return greenMail.getUserManager().getUserByEmail(address) != null;
    }

    /** The INBOX of the mailbox, oldest first; empty if there is no such mailbox. */
    public Optional<List<Mail>> inbox(String address) {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return Optional.empty();
        }
        try {
            ImapHostManager imap = greenMail.getManagers().getImapHostManager();
            MailFolder inbox = imap.getInbox(user);
            List<Mail> mails = new ArrayList<>();
            for (StoredMessage stored : inbox.getMessages()) {
                mails.add(toMail(stored.getMimeMessage()));
            }
            return Optional.of(mails);
        } catch (FolderException | MessagingException | IOException e) {
            throw new IllegalStateException("cannot read the mailbox", e);
        }
    }

    /** Deletes all messages of the mailbox. */
    public boolean clear(String address) {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(address);
        if (user == null) {
            return false;
        }
        try {
            greenMail.getManagers().getImapHostManager().getInbox(user).deleteAllMessages();
            return true;
        } catch (FolderException e) {
            throw new IllegalStateException("cannot clear the mailbox", e);
        }
    }

    private static Mail toMail(MimeMessage message) throws MessagingException, IOException {
        List<String> to = new ArrayList<>();
        Address[] recipients = message.getAllRecipients();
        if (recipients != null) {
            for (Address a : recipients) {
                to.add(a.toString());
            }
        }
        Address[] from = message.getFrom();
        return new Mail(message.getMessageID(), from == null || from.length == 0 ? null : from[0].toString(), to,
                message.getSubject(), text(message), message.getSentDate());
    }

    private static String text(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/*")) {
            return String.valueOf(part.getContent());
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = text(multipart.getBodyPart(i));
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }
}

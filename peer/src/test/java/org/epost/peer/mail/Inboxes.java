package org.epost.peer.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;

import reactor.core.publisher.Mono;

/** Reads a user's INBOX (or another folder) back through James's mailbox API, as IMAP would. */
final class Inboxes {
    private Inboxes() {
    }

    /** The raw messages in the INBOX of {@code user}, in UID order; empty when there is no INBOX. */
    static List<byte[]> read(MailboxManager mailboxes, String user) throws MailboxException, IOException {
        return read(mailboxes, user, MailboxConstants.INBOX);
    }

    /** The raw messages in the folder {@code folder} of {@code user}, in UID order; empty when there is none. */
    static List<byte[]> read(MailboxManager mailboxes, String user, String folder)
            throws MailboxException, IOException {
        MailboxSession session = mailboxes.createSystemSession(Username.of(user));
        MailboxPath inbox = MailboxPath.forUser(Username.of(user), folder);
        List<byte[]> messages = new ArrayList<>();
        if (!Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(inbox, session)).block())) {
            return messages;
        }
        MessageResultIterator results = mailboxes.getMailbox(inbox, session)
            .getMessages(MessageRange.all(), FetchGroup.FULL_CONTENT, session);
        while (results.hasNext()) {
            MessageResult result = results.next();
            try (InputStream in = result.getFullContent().getInputStream()) {
                messages.add(in.readAllBytes());
            }
        }
        return messages;
    }
}

package org.epost.interop.migration;

import java.util.Date;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;

import reactor.core.publisher.Mono;

/**
 * The user's ePOST mailbox, written through James's own {@link MailboxManager} exactly as IMAP APPEND would write it
 * (so the backend's logs, quota, search index and events see ordinary appends), with the legacy internal date and
 * flags, never marked \Recent.
 */
public final class EpostDestination {
    private final MailboxManager mailboxes;
    private final SubscriptionManager subscriptions;
    private final MailboxSession session;

    public EpostDestination(MailboxManager mailboxes, SubscriptionManager subscriptions, String user) {
        this.mailboxes = mailboxes;
        this.subscriptions = subscriptions;
        this.session = mailboxes.createSystemSession(Username.of(user));
    }

    public MailboxPath path(String name) {
        return name.equalsIgnoreCase("INBOX") ? MailboxPath.inbox(session) : MailboxPath.forUser(session.getUser(), name);
    }

    public boolean exists(String name) {
        return Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(path(name), session)).block());
    }

    /**
     * Creates the folder (and its parents) if missing, and gives it the legacy folder's subscription: the user's own
     * choice wins over James's, which subscribes its default folders (Spam among them) at the first login.
     */
    public void ensure(String name, boolean subscribe) throws MailboxException {
        MailboxPath path = path(name);
        if (!exists(name)) {
            mailboxes.createMailbox(path, session);
        }
        boolean subscribed = subscriptions.subscriptions(session).contains(path);
        if (subscribe && !subscribed) {
            subscriptions.subscribe(session, path);
        } else if (!subscribe && subscribed) {
            subscriptions.unsubscribe(session, path);
        }
    }

    public void append(String name, byte[] content, Date internalDate, Flags flags) throws MailboxException {
        MessageManager folder = mailboxes.getMailbox(path(name), session);
        folder.appendMessage(MessageManager.AppendCommand.builder()
            .withInternalDate(internalDate)
            .withFlags(flags)
            .notRecent()
            .build(content), session);
    }

    public long count(String name) throws MailboxException {
        return exists(name) ? mailboxes.getMailbox(path(name), session).getMessageCount(session) : 0;
    }

    /** The {@link MessageKeys} of every message of the folder, to recognise copies when UIDs cannot be trusted. */
    public Set<String> keys(String name) throws MailboxException {
        Set<String> keys = new HashSet<>();
        if (!exists(name)) {
            return keys;
        }
        MessageManager folder = mailboxes.getMailbox(path(name), session);
        MessageResultIterator results = folder.getMessages(MessageRange.all(), FetchGroup.HEADERS, session);
        while (results.hasNext()) {
            MessageResult result = results.next();
            keys.add(MessageKeys.of(messageId(result), result.getInternalDate(), result.getSize()));
        }
        return keys;
    }

    private static String messageId(MessageResult result) throws MailboxException {
        Iterator<Header> headers = result.getHeaders().headers();
        while (headers.hasNext()) {
            Header header = headers.next();
            if (header.getName().equalsIgnoreCase("Message-ID")) {
                return header.getValue().trim();
            }
        }
        return "";
    }
}

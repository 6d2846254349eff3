package org.epost.peer.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.epost.spam.mail.JunkFolders;

import reactor.core.publisher.Mono;

/**
 * Whether a mail is in a recipient's mailbox already: the check a home peer makes before appending a notification
 * whose earlier hand-over did not finish (the peer died after the append and before it remembered the id as seen).
 * A delivered copy is recognized as a message of the INBOX or a junk folder with the notification's date as internal
 * date, the same size and the same bytes (compared as streams) (the stamped message a retry produces is byte-identical to the first
 * attempt's). The folders are scanned by their metadata first, so only messages of the same date and size are read.
 * Only retries come here, never first deliveries. A copy the user already moved elsewhere or expunged is not found,
 * and is delivered again.
 */
final class DeliveredCopies {
    private static final int WINDOW = 64 * 1024;

    private DeliveredCopies() {
    }

    /** Whether the INBOX or a junk folder of the session's user holds {@code message} appended at {@code date}. */
    static boolean holds(MailboxManager mailboxes, MailboxSession session, Content message, Date date)
            throws MailboxException {
        List<MailboxPath> folders = new ArrayList<>();
        folders.add(MailboxPath.inbox(session));
        mailboxes.list(session).stream()
            .filter(path -> path.belongsTo(session) && JunkFolders.isJunk(path))
            .forEach(folders::add);
        for (MailboxPath folder : folders) {
            if (Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(folder, session)).block())
                    && holds(mailboxes.getMailbox(folder, session), session, message, date)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(MessageManager folder, MailboxSession session, Content message, Date date)
            throws MailboxException {
        List<MessageUid> sameDateAndSize = new ArrayList<>();
        MessageResultIterator all = folder.getMessages(MessageRange.all(), FetchGroup.MINIMAL, session);
        while (all.hasNext()) {
            MessageResult result = all.next();
            if (result.getSize() == message.size() && result.getInternalDate().getTime() == date.getTime()) {
                sameDateAndSize.add(result.getUid());
            }
        }
        for (MessageUid uid : sameDateAndSize) {
            MessageResultIterator one = folder.getMessages(MessageRange.one(uid), FetchGroup.FULL_CONTENT, session);
            while (one.hasNext()) {
                try (InputStream in = one.next().getFullContent().getInputStream();
                        InputStream expected = message.getInputStream()) {
                    if (sameBytes(in, expected)) {
                        return true;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a message of " + folder.getMailboxPath(), e);
                }
            }
        }
        return false;
    }

    /** Compares two streams a window at a time (a large message is never read whole). */
    static boolean sameBytes(InputStream a, InputStream b) throws IOException {
        byte[] left = new byte[WINDOW];
        byte[] right = new byte[WINDOW];
        while (true) {
            int n = a.readNBytes(left, 0, WINDOW);
            int m = b.readNBytes(right, 0, WINDOW);
            if (n != m || !Arrays.equals(left, 0, n, right, 0, m)) {
                return false;
            }
            if (n < WINDOW) {
                return true;
            }
        }
    }
}

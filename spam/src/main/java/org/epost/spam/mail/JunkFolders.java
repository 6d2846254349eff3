package org.epost.spam.mail;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.Role;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.model.MailboxPath;

/**
 * Which of a user's folders are Junk and which is Trash. Mail clients name the junk folder "Junk" (Thunderbird, Apple
 * Mail, Outlook) or "Spam" (Gmail, James's own {@code SpamEventListener}); James 3.8.1 advertises the {@code \Junk}
 * special-use (RFC 6154) for the folder named "Spam" ({@link Role#SPAM}), which is why a missing junk folder is created
 * under that name: every client that reads special-use then files its "mark as spam" there. A folder whose last name
 * segment is one of these, in any case, counts (some clients keep it under INBOX).
 */
public final class JunkFolders {
    /** The name a missing junk folder is created with: James advertises it as {@code \Junk}. */
    public static final String CREATED_NAME = "Spam";
    private static final Set<String> JUNK = Set.of("junk", "spam", "junk e-mail", "junk email");
    private static final Set<String> TRASH = Set.of("trash", "deleted items", "deleted messages", "bin");

    private JunkFolders() {
    }

    public static boolean isJunk(MailboxPath path) {
        return JUNK.contains(lastSegment(path)) || Role.from(path.getName()).filter(Role.SPAM::equals).isPresent();
    }

    public static boolean isTrash(MailboxPath path) {
        return TRASH.contains(lastSegment(path)) || Role.from(path.getName()).filter(Role.TRASH::equals).isPresent();
    }

    /** The user's junk folder: an existing one ("Junk" before "Spam"), else {@value #CREATED_NAME}, created now. */
    public static MailboxPath findOrCreate(MailboxManager mailboxes, MailboxSession session) throws MailboxException {
        List<MailboxPath> own = mailboxes.list(session).stream()
            .filter(path -> path.belongsTo(session) && isJunk(path))
            .sorted((a, b) -> a.getName().compareToIgnoreCase(b.getName()))
            .toList();
        Optional<MailboxPath> existing = own.stream()
            .filter(p -> !p.getName().contains(".") && !p.getName().contains("/"))
            .findFirst().or(() -> own.stream().findFirst());
        if (existing.isPresent()) {
            return existing.get();
        }
        MailboxPath created = MailboxPath.forUser(session.getUser(), CREATED_NAME);
        try {
            mailboxes.createMailbox(created, session);
        } catch (MailboxExistsException e) {
            // created meanwhile by the user's client or another delivery
        }
        return created;
    }

    private static String lastSegment(MailboxPath path) {
        String name = path.getName();
        int cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
        return name.substring(cut + 1).toLowerCase(Locale.ROOT);
    }
}

package org.epost.mailbox.mail;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.storage.Folder;
import org.epost.mailbox.storage.MailboxRegistry;

/** Resolves James's mailboxes and mailbox ids to this process's folders. */
final class Folders {
    private Folders() {
    }

    static PostMailboxId idOf(MailboxId id) throws MailboxNotFoundException {
        if (id instanceof PostMailboxId post) {
            return post;
        }
        throw new MailboxNotFoundException(id == null ? "null mailbox id" : "not an ePOST mailbox id: " + id);
    }

    static Folder folder(MailboxRegistry registry, Mailbox mailbox) throws MailboxException {
        return folder(registry, mailbox.getMailboxId());
    }

    static Folder folder(MailboxRegistry registry, MailboxId id) throws MailboxException {
        PostMailboxId postId = idOf(id);
        return registry.folder(postId.owner(), postId.folder());
    }
}

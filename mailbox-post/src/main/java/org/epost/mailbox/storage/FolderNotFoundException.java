package org.epost.mailbox.storage;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.epost.mailbox.model.FolderId;

/** The account has no folder with this id (never created, or deleted). */
public final class FolderNotFoundException extends MailboxNotFoundException {
    private static final long serialVersionUID = 1L;

    public FolderNotFoundException(Username owner, FolderId id) {
        super("folder " + id + " of " + owner.asString());
    }
}

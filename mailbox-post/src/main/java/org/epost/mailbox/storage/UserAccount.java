package org.epost.mailbox.storage;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.AccountReducer;
import org.epost.mailbox.model.AccountState;
import org.epost.mailbox.model.FolderId;
import org.epost.mailbox.model.FolderInfo;

/**
 * One user's mailboxes on this peer: the account log (label {@value #LABEL}: folder list, ACLs, subscriptions,
 * annotations, attachments) and the folders opened so far, each with its own log.
 */
public final class UserAccount implements AutoCloseable {
    public static final String LABEL = "epost-mailbox/account";

    private final Username owner;
    private final UserStorage storage;
    private final LoggedState<AccountState> log;
    private final ConcurrentHashMap<FolderId, Folder> folders = new ConcurrentHashMap<>();

    UserAccount(Username owner, UserStorage storage) {
        this.owner = owner;
        this.storage = storage;
        this.log = new LoggedState<>(storage, LABEL, AccountReducer.INSTANCE);
    }

    public Username owner() {
        return owner;
    }

    public UserStorage storage() {
        return storage;
    }

    public LoggedState<AccountState> log() {
        return log;
    }

    /** The folder {@code id}, opened on first use; a {@link FolderNotFoundException} when the account has none. */
    public Folder folder(FolderId id) throws MailboxException {
        if (log.read(state -> state.folder(id).isEmpty())) {
            throw new FolderNotFoundException(owner, id);
        }
        return folders.computeIfAbsent(id, folderId -> new Folder(this, folderId));
    }

    /** The folder {@code info} names, which the caller just read from this account's state. */
    public Folder folder(FolderInfo info) {
        return folders.computeIfAbsent(info.id(), folderId -> new Folder(this, folderId));
    }

    public List<FolderInfo> folders() throws MailboxException {
        return log.read(state -> List.copyOf(state.folders()));
    }

    /** Closes and forgets a deleted folder's log. */
    public void forget(FolderId id) {
        Folder folder = folders.remove(id);
        if (folder != null) {
            folder.close();
        }
    }

    Collection<Folder> openFolders() {
        return folders.values();
    }

    @Override
    public void close() {
        folders.values().forEach(Folder::close);
        folders.clear();
        log.close();
    }
}

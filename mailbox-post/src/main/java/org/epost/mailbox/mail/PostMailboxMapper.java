package org.epost.mailbox.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.mailbox.acl.ACLDiff;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.exception.UnsupportedRightException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.apache.james.mailbox.store.mail.MailboxMapper;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.AccountRecord;
import org.epost.mailbox.model.AclEntry;
import org.epost.mailbox.model.FolderId;
import org.epost.mailbox.model.FolderInfo;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;

import com.google.common.base.Preconditions;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * James's mailbox mapper over the account logs: a mailbox is a folder of its owner's account (the user of its path),
 * created, renamed, deleted and given ACLs by records of that account's log. RENAME changes the folder's path and
 * keeps its id, log, UIDs and UIDVALIDITY.
 */
public final class PostMailboxMapper implements MailboxMapper {
    private final MailboxRegistry registry;

    public PostMailboxMapper(MailboxRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Mono<Mailbox> create(MailboxPath path, UidValidity uidValidity) {
        return blocking(() -> {
            UserAccount account = registry.requireAccount(owner(path));
            FolderId id = FolderId.random();
            return account.log().update(state -> {
                if (state.folder(pathOf(path)).isPresent()) {
                    throw new MailboxExistsException(path.getName());
                }
                AccountRecord record = new AccountRecord.FolderCreated(id, path.getNamespace(), path.getName(),
                    uidValidity.asLong());
                return LoggedState.Plan.of(List.of(record.toEntry()),
                    new Mailbox(path, uidValidity, new PostMailboxId(account.owner(), id)));
            });
        });
    }

    @Override
    public Mono<MailboxId> rename(Mailbox mailbox) {
        Preconditions.checkNotNull(mailbox.getMailboxId(), "A mailbox we want to rename should have a defined mailboxId");
        return blocking(() -> {
            PostMailboxId id = Folders.idOf(mailbox.getMailboxId());
            if (!id.owner().equals(mailbox.getUser())) {
                throw new MailboxException("cannot move mailbox " + id + " of " + id.owner().asString() + " to "
                    + mailbox.getUser() + ": a folder's log is signed by its owner's key");
            }
            UserAccount account = registry.account(id.owner()).orElseThrow(() -> new MailboxNotFoundException(id));
            return account.log().update(state -> {
                if (state.folder(id.folder()).isEmpty()) {
                    throw new MailboxNotFoundException(id);
                }
                if (state.folder(pathOf(mailbox.generateAssociatedPath())).isPresent()) {
                    throw new MailboxExistsException(mailbox.getName());
                }
                AccountRecord record = new AccountRecord.FolderRenamed(id.folder(), mailbox.getNamespace(),
                    mailbox.getName());
                return LoggedState.Plan.<MailboxId>of(List.of(record.toEntry()), id);
            });
        });
    }

    @Override
    public Mono<Void> delete(Mailbox mailbox) {
        return blocking(() -> {
            PostMailboxId id = Folders.idOf(mailbox.getMailboxId());
            Optional<UserAccount> account = registry.account(id.owner());
            if (account.isEmpty()) {
                return null;
            }
            account.get().log().update(state -> state.folder(id.folder()).isEmpty()
                ? LoggedState.Plan.nothing(null)
                : LoggedState.Plan.of(List.of(new AccountRecord.FolderDeleted(id.folder()).toEntry()), null));
            account.get().forget(id.folder());
            return null;
        }).then();
    }

    @Override
    public Mono<Mailbox> findMailboxByPath(MailboxPath path) {
        return blocking(() -> {
            if (path.getUser() == null) {
                return null;
            }
            Optional<UserAccount> account = registry.account(path.getUser());
            if (account.isEmpty()) {
                return null;
            }
            Optional<FolderInfo> folder = account.get().log().read(state -> state.folder(pathOf(path)));
            return folder.isEmpty() ? null : toMailbox(account.get().owner(), folder.get());
        });
    }

    @Override
    public Mono<Mailbox> findMailboxById(MailboxId mailboxId) {
        return blocking(() -> {
            PostMailboxId id = Folders.idOf(mailboxId);
            UserAccount account = registry.account(id.owner()).orElseThrow(() -> new MailboxNotFoundException(id));
            Optional<FolderInfo> folder = account.log().read(state -> state.folder(id.folder()));
            return toMailbox(id.owner(), folder.orElseThrow(() -> new MailboxNotFoundException(id)));
        });
    }

    @Override
    public Flux<Mailbox> findMailboxWithPathLike(MailboxQuery.UserBound query) {
        return blockingMany(() -> {
            Optional<UserAccount> account = registry.account(query.getFixedUser());
            if (account.isEmpty()) {
                return List.of();
            }
            List<Mailbox> found = new ArrayList<>();
            for (FolderInfo folder : account.get().folders()) {
                Mailbox mailbox = toMailbox(account.get().owner(), folder);
                if (query.matches(mailbox)) {
                    found.add(mailbox);
                }
            }
            return found;
        });
    }

    @Override
    public Mono<Boolean> hasChildren(Mailbox mailbox, char delimiter) {
        return blocking(() -> {
            Optional<UserAccount> account = registry.account(mailbox.getUser());
            if (account.isEmpty()) {
                return false;
            }
            String prefix = mailbox.getName() + delimiter;
            return account.get().folders().stream()
                .anyMatch(folder -> folder.namespace().equals(mailbox.getNamespace())
                    && folder.name().startsWith(prefix));
        });
    }

    @Override
    public Flux<Mailbox> list() {
        return blockingMany(() -> {
            List<Mailbox> all = new ArrayList<>();
            for (UserAccount account : registry.allAccounts()) {
                for (FolderInfo folder : account.folders()) {
                    all.add(toMailbox(account.owner(), folder));
                }
            }
            return all;
        });
    }

    @Override
    public Flux<Mailbox> findNonPersonalMailboxes(Username user, MailboxACL.Right right) {
        MailboxACL.EntryKey key = MailboxACL.EntryKey.createUserEntryKey(user);
        return list().filter(mailbox -> Optional.ofNullable(mailbox.getACL()
                .ofPositiveNameType(MailboxACL.NameType.user).get(key))
            .map(rights -> rights.contains(right))
            .orElse(false));
    }

    @Override
    public Mono<ACLDiff> updateACL(Mailbox mailbox, MailboxACL.ACLCommand command) {
        return changeAcl(mailbox, old -> old.apply(command));
    }

    @Override
    public Mono<ACLDiff> setACL(Mailbox mailbox, MailboxACL acl) {
        return changeAcl(mailbox, old -> acl);
    }

    private interface AclChange {
        MailboxACL apply(MailboxACL old) throws UnsupportedRightException;
    }

    /** The new ACL is computed from the stored one, under the account's lock, and recorded whole. */
    private Mono<ACLDiff> changeAcl(Mailbox mailbox, AclChange change) {
        return blocking(() -> {
            PostMailboxId id = Folders.idOf(mailbox.getMailboxId());
            UserAccount account = registry.account(id.owner()).orElseThrow(() -> new MailboxNotFoundException(id));
            ACLDiff diff = account.log().update(state -> {
                FolderInfo folder = state.folder(id.folder()).orElseThrow(() -> new MailboxNotFoundException(id));
                MailboxACL old = aclOf(folder);
                MailboxACL updated = change.apply(old);
                AccountRecord record = new AccountRecord.AclSet(id.folder(), entriesOf(updated));
                return LoggedState.Plan.of(List.of(record.toEntry()), ACLDiff.computeDiff(old, updated));
            });
            mailbox.setACL(diff.getNewACL());
            return diff;
        });
    }

    // ---------------------------------------------------------------- conversions

    static Mailbox toMailbox(Username owner, FolderInfo folder) throws MailboxException {
        Mailbox mailbox = new Mailbox(new MailboxPath(folder.namespace(), owner, folder.name()),
            UidValidity.of(folder.uidValidity()), new PostMailboxId(owner, folder.id()));
        mailbox.setACL(aclOf(folder));
        return mailbox;
    }

    static MailboxACL aclOf(FolderInfo folder) throws MailboxException {
        if (folder.acl().isEmpty()) {
            return MailboxACL.EMPTY;
        }
        Map<MailboxACL.EntryKey, MailboxACL.Rfc4314Rights> entries = new java.util.LinkedHashMap<>();
        for (AclEntry entry : folder.acl()) {
            entries.put(MailboxACL.EntryKey.deserialize(entry.key()), MailboxACL.Rfc4314Rights.deserialize(entry.rights()));
        }
        return new MailboxACL(entries);
    }

    static List<AclEntry> entriesOf(MailboxACL acl) {
        List<AclEntry> entries = new ArrayList<>();
        acl.getEntries().forEach((key, rights) -> entries.add(new AclEntry(key.serialize(), rights.serialize())));
        return entries;
    }

    static FolderInfo.FolderPath pathOf(MailboxPath path) {
        return new FolderInfo.FolderPath(path.getNamespace(), path.getName());
    }

    private static Username owner(MailboxPath path) throws MailboxException {
        if (path.getUser() == null) {
            throw new MailboxException("mailbox " + path + " has no owner; ePOST folders belong to a user");
        }
        return path.getUser();
    }

    // ---------------------------------------------------------------- reactive plumbing

    interface Blocking<T> {
        T call() throws MailboxException;
    }

    /** Runs a blocking call (log reads may open a log, writes wait for the DHT) off the caller's thread. */
    static <T> Mono<T> blocking(Blocking<T> call) {
        return Mono.fromCallable(call::call).subscribeOn(Schedulers.boundedElastic());
    }

    static <T> Flux<T> blockingMany(Blocking<List<T>> call) {
        return blocking(call).flatMapIterable(list -> list);
    }

}

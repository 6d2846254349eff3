package org.epost.mailbox.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.james.mailbox.exception.MailboxException;
import org.epost.mailbox.model.AttachmentInfo;
import org.epost.mailbox.model.FolderInfo;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.model.MessageEntry;
import org.epost.overlay.id.Id;
import org.epost.post.lease.LeaseReference;
import org.epost.post.lease.ReferenceSource;
import org.epost.post.log.LogException;
import org.epost.post.log.LogOpener;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;
import org.epost.post.store.PartReference;

/**
 * What the mailboxes of this peer's users still reference, for the lease refresher: every block of every account and
 * folder log (head, clusters, newest snapshot) and every part of every message and attachment they name. A deleted
 * folder or an expunged message drops out, so its blocks expire.
 *
 * <p>Collecting walks every log chain and asks the message store for each message's parts: blocking I/O, so
 * {@link #collect()} runs on a thread of its own (before each refresh round), while the refresher, on its event loop,
 * reads the last collected snapshot through {@link #source()}.
 */
public final class MailboxLeaseReferences {
    private final MailboxRegistry registry;
    private final AtomicReference<Set<LeaseReference>> last = new AtomicReference<>(Set.of());
    private final AtomicReference<Map<String, Set<LeaseReference>>> lastByOwner = new AtomicReference<>(Map.of());
    private final AtomicReference<Set<Id>> liveMessages = new AtomicReference<>(Set.of());

    public MailboxLeaseReferences(MailboxRegistry registry) {
        this.registry = registry;
    }

    /** Walks every account and folder and keeps the result for {@link #source()}; fails rather than under-count. */
    public Set<LeaseReference> collect() throws MailboxException {
        Set<LeaseReference> all = new LinkedHashSet<>();
        Map<String, Set<LeaseReference>> byOwner = new HashMap<>();
        Set<Id> messages = new HashSet<>();
        for (UserAccount account : registry.allAccounts()) {
            Set<LeaseReference> references = new LinkedHashSet<>();
            UserStorage storage = account.storage();
            LogOpener opener = new LogOpener(storage.blocks(), storage.views());
            addLog(references, opener, storage, UserAccount.LABEL);
            List<MessageReference> contents = new ArrayList<>();
            account.log().read(state -> {
                for (AttachmentInfo attachment : state.attachments()) {
                    contents.add(attachment.content());
                }
                return null;
            });
            for (FolderInfo info : account.folders()) {
                addLog(references, opener, storage, Folder.LABEL_PREFIX + info.id().toHex());
                account.folder(info).log().read((FolderState state) -> {
                    for (MessageEntry entry : state.entries()) {
                        contents.add(entry.content());
                    }
                    return null;
                });
            }
            for (MessageReference content : contents) {
                messages.add(content.top().handle());
                for (PartReference part : partsOf(storage.messages(), content)) {
                    references.add(LeaseReference.of(part));
                }
            }
            all.addAll(references);
            byOwner.put(account.owner().asString(), Set.copyOf(references));
        }
        Set<LeaseReference> snapshot = Set.copyOf(all);
        last.set(snapshot);
        lastByOwner.set(Map.copyOf(byOwner));
        liveMessages.set(Set.copyOf(messages));
        return snapshot;
    }

    /** The top handles of every message (and attachment) the mailboxes held at the last {@link #collect()}. */
    public Set<Id> liveMessages() {
        return liveMessages.get();
    }

    /** The references of {@code owner}'s mailboxes at the last {@link #collect()} (for its lease mandate). */
    public Set<LeaseReference> referencesOf(String owner) {
        return lastByOwner.get().getOrDefault(owner, Set.of());
    }

    /** The references of the last {@link #collect()}: cheap, non-blocking, for the refresher's event loop. */
    public ReferenceSource source() {
        return last::get;
    }

    private static void addLog(Set<LeaseReference> references, LogOpener opener, UserStorage storage, String label)
            throws MailboxException {
        try {
            opener.referencedBlocks(storage.keys().signingPublicKey(), label, storage.keys().encryption())
                .forEach(key -> references.add(LeaseReference.of(key)));
        } catch (LogException e) {
            throw new MailboxException("blocks of log '" + label + "' cannot be listed: " + e.getMessage(), e);
        }
    }

    private static List<PartReference> partsOf(MessageStore store, MessageReference content) throws MailboxException {
        try {
            return store.parts(content).get();
        } catch (ExecutionException e) {
            throw new MailboxException("parts of message content " + content.top().handle() + " cannot be listed: "
                + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxException("interrupted while listing message parts", e);
        }
    }
}

package org.epost.mailbox.mail;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.ComposedMessageId;
import org.apache.james.mailbox.model.ComposedMessageIdWithMetaData;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.FlagsUpdateCalculator;
import org.apache.james.mailbox.store.mail.MessageIdMapper;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.model.FolderInfo;
import org.epost.mailbox.model.FolderRecord;
import org.epost.mailbox.model.MessageEntry;
import org.epost.mailbox.model.MessageKey;
import org.epost.mailbox.storage.Folder;
import org.epost.mailbox.storage.FolderNotFoundException;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.mailbox.storage.UserAccount;
import org.reactivestreams.Publisher;

import com.google.common.collect.ImmutableListMultimap;
import com.google.common.collect.Multimap;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James's by-message-id mapper. A message id is found by asking every folder of every account this peer keeps
 * (each folder state indexes its message ids), so a lookup costs one hash lookup per folder, and the first one opens
 * every account and folder of the peer.
 */
public final class PostMessageIdMapper implements MessageIdMapper {
    private final MailboxRegistry registry;
    private final MessageViews views;
    private final Clock clock;

    public PostMessageIdMapper(MailboxRegistry registry, MessageViews views, Clock clock) {
        this.registry = registry;
        this.views = views;
        this.clock = clock;
    }

    /** One copy of a message: the folder and the entry, read together. */
    private record Located(PostMailboxId mailbox, Folder folder, MessageEntry entry) {
    }

    @Override
    public List<MailboxMessage> find(Collection<MessageId> messageIds, FetchType fetchType) {
        try {
            List<MailboxMessage> found = new ArrayList<>();
            for (Located copy : locate(keys(messageIds))) {
                found.add(views.message(copy.mailbox(), copy.folder().account(), copy.entry()));
            }
            return found;
        } catch (MailboxException e) {
            throw new IllegalStateException("finding messages by id failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Flux<MailboxMessage> findReactive(Collection<MessageId> messageIds, FetchType fetchType) {
        return PostMailboxMapper.blockingMany(() -> find(messageIds, fetchType));
    }

    @Override
    public Publisher<ComposedMessageIdWithMetaData> findMetadata(MessageId messageId) {
        return PostMailboxMapper.blockingMany(() -> {
            List<ComposedMessageIdWithMetaData> found = new ArrayList<>();
            for (Located copy : locate(List.of(PostMessageId.keyOf(messageId)))) {
                MessageEntry entry = copy.entry();
                found.add(new ComposedMessageIdWithMetaData(
                    new ComposedMessageId(copy.mailbox(), messageId, MessageUid.of(entry.uid())),
                    MessageViews.flags(entry), ModSeq.of(entry.modSeq()),
                    MessageViews.metaData(entry).getThreadId()));
            }
            return found;
        });
    }

    @Override
    public List<MailboxId> findMailboxes(MessageId messageId) {
        try {
            List<MailboxId> mailboxes = new ArrayList<>();
            for (Located copy : locate(List.of(PostMessageId.keyOf(messageId)))) {
                mailboxes.add(copy.mailbox());
            }
            return mailboxes;
        } catch (MailboxException e) {
            throw new IllegalStateException("finding the mailboxes of " + messageId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Saves {@code message} into its mailbox with the UID and MODSEQ James reserved for it, unless another message
     * took them meanwhile (then the next free ones, set back on {@code message}).
     */
    @Override
    public void save(MailboxMessage message) throws MailboxException {
        saveInto(Folders.idOf(message.getMailboxId()), message);
    }

    @Override
    public void copyInMailbox(MailboxMessage message, Mailbox mailbox) throws MailboxException {
        PostMailboxId target = Folders.idOf(mailbox.getMailboxId());
        Folder folder = Folders.folder(registry, target);
        MessageKey key = PostMessageId.keyOf(message.getMessageId());
        if (folder.log().read(state -> !state.uidsOf(key).isEmpty())) {
            return;
        }
        saveInto(target, message);
    }

    private void saveInto(PostMailboxId target, MailboxMessage message) throws MailboxException {
        Folder folder = Folders.folder(registry, target);
        ContentWriter.Stored content = ContentWriter.referenceOf(folder.account().storage(), message, views);
        long saveDate = clock.millis();
        Flags flags = message.createFlags();
        long proposedUid = message.getUid() == null ? 0 : message.getUid().asLong();
        long proposedModSeq = message.getModSeq() == null ? 0 : message.getModSeq().asLong();
        MessageEntry entry = folder.log().update(state -> {
            MessageEntry added = PostMessageMapper.entryOf(message, content, folder.uidFor(state, proposedUid, 0),
                folder.modSeqFor(state, proposedModSeq, 0), saveDate, FlagBits.systemFlags(flags),
                FlagBits.keywords(flags));
            return LoggedState.Plan.of(List.of(new FolderRecord.MessageAdded(added).toEntry()), added);
        });
        message.setUid(MessageUid.of(entry.uid()));
        message.setModSeq(ModSeq.of(entry.modSeq()));
    }

    @Override
    public void delete(MessageId messageId) {
        deleteFrom(messageId, null);
    }

    @Override
    public void delete(MessageId messageId, Collection<MailboxId> mailboxIds) {
        deleteFrom(messageId, mailboxIds);
    }

    private void deleteFrom(MessageId messageId, Collection<MailboxId> mailboxIds) {
        try {
            for (Located copy : locate(List.of(PostMessageId.keyOf(messageId)))) {
                if (mailboxIds == null || mailboxIds.contains(copy.mailbox())) {
                    PostMessageMapper.expunge(copy.folder(), List.of(MessageUid.of(copy.entry().uid())));
                }
            }
        } catch (MailboxException e) {
            throw new IllegalStateException("deleting " + messageId + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Mono<Multimap<MailboxId, UpdatedFlags>> setFlags(MessageId messageId, List<MailboxId> mailboxIds,
                                                            Flags newState, MessageManager.FlagsUpdateMode updateMode) {
        return PostMailboxMapper.blocking(() -> {
            MessageKey key = PostMessageId.keyOf(messageId);
            FlagsUpdateCalculator calculator = new FlagsUpdateCalculator(newState, updateMode);
            ImmutableListMultimap.Builder<MailboxId, UpdatedFlags> result = ImmutableListMultimap.builder();
            for (MailboxId mailboxId : mailboxIds.stream().distinct().toList()) {
                Folder folder;
                try {
                    folder = Folders.folder(registry, mailboxId);
                } catch (FolderNotFoundException e) {
                    continue;
                }
                List<UpdatedFlags> updates = folder.log().update(state -> {
                    List<MessageEntry> copies = new ArrayList<>();
                    for (long uid : state.uidsOf(key)) {
                        copies.add(state.get(uid));
                    }
                    return PostMessageMapper.planFlags(folder, state, copies, calculator);
                });
                result.putAll(mailboxId, updates);
            }
            return result.build();
        });
    }

    /** Every copy of the given messages in every folder this peer keeps. */
    private List<Located> locate(List<MessageKey> keys) throws MailboxException {
        List<Located> found = new ArrayList<>();
        if (keys.isEmpty()) {
            return found;
        }
        for (UserAccount account : registry.allAccounts()) {
            for (FolderInfo info : account.folders()) {
                Folder folder = account.folder(info);
                PostMailboxId mailbox = new PostMailboxId(account.owner(), info.id());
                folder.log().read(state -> {
                    for (MessageKey key : keys) {
                        for (long uid : state.uidsOf(key)) {
                            found.add(new Located(mailbox, folder, state.get(uid)));
                        }
                    }
                    return null;
                });
            }
        }
        return found;
    }

    private static List<MessageKey> keys(Collection<MessageId> ids) {
        return ids.stream().map(PostMessageId::keyOf).distinct().toList();
    }
}

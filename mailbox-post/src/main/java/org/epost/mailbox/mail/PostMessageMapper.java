package org.epost.mailbox.mail;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.Flags;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxCounters;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.FlagsUpdateCalculator;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.ApplicableFlagBuilder;
import org.epost.mailbox.model.PostMailboxId;
import org.epost.mailbox.model.PostMessageId;
import org.epost.mailbox.model.FolderRecord;
import org.epost.mailbox.model.FolderState;
import org.epost.mailbox.model.MessageEntry;
import org.epost.mailbox.model.MessageKey;
import org.epost.mailbox.model.SystemFlags;
import org.epost.mailbox.storage.Folder;
import org.epost.mailbox.storage.LoggedState;
import org.epost.mailbox.storage.MailboxRegistry;
import org.epost.post.log.LogEntry;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * James's message mapper over the folder logs. Reads come from the folder's materialized state (no block I/O, no
 * content fetched); each change is one group commit of small records to the folder's log, planned under the folder's
 * writing lock so that UIDs and MODSEQs are given in the order they become visible.
 */
public final class PostMessageMapper implements MessageMapper {
    private final MailboxRegistry registry;
    private final MessageViews views;
    private final Clock clock;

    public PostMessageMapper(MailboxRegistry registry, MessageViews views, Clock clock) {
        this.registry = registry;
        this.views = views;
        this.clock = clock;
    }

    // ================================================================ reads

    @Override
    public Iterator<MailboxMessage> findInMailbox(Mailbox mailbox, MessageRange set, FetchType type, int limit)
            throws MailboxException {
        PostMailboxId id = Folders.idOf(mailbox.getMailboxId());
        Folder folder = Folders.folder(registry, id);
        List<MessageEntry> entries = folder.log().read(state ->
            state.range(set.getUidFrom().asLong(), set.getUidTo().asLong(), limit));
        List<PostMailboxMessage> messages = new ArrayList<>(entries.size());
        for (MessageEntry entry : entries) {
            messages.add(views.message(id, folder.account(), entry));
        }
        return ReadAheadIterator.of(messages, type);
    }

    @Override
    public List<MessageUid> retrieveMessagesMarkedForDeletion(Mailbox mailbox, MessageRange range)
            throws MailboxException {
        return Folders.folder(registry, mailbox).log().read(state -> {
            List<MessageUid> deleted = new ArrayList<>();
            for (MessageEntry entry : state.range(range.getUidFrom().asLong(), range.getUidTo().asLong(), 0)) {
                if (entry.has(SystemFlags.DELETED)) {
                    deleted.add(MessageUid.of(entry.uid()));
                }
            }
            return deleted;
        });
    }

    @Override
    public long countMessagesInMailbox(Mailbox mailbox) throws MailboxException {
        return Folders.folder(registry, mailbox).log().read(FolderState::count);
    }

    @Override
    public MailboxCounters getMailboxCounters(Mailbox mailbox) throws MailboxException {
        return Folders.folder(registry, mailbox).log().read(state -> MailboxCounters.builder()
            .mailboxId(mailbox.getMailboxId())
            .count(state.count())
            .unseen(state.unseen())
            .build());
    }

    @Override
    public MessageUid findFirstUnseenMessageUid(Mailbox mailbox) throws MailboxException {
        Long uid = Folders.folder(registry, mailbox).log().read(FolderState::firstUnseen);
        return uid == null ? null : MessageUid.of(uid);
    }

    @Override
    public List<MessageUid> findRecentMessageUidsInMailbox(Mailbox mailbox) throws MailboxException {
        List<Long> recent = Folders.folder(registry, mailbox).log().read(state -> state.uidsWith(SystemFlags.RECENT));
        List<MessageUid> uids = new ArrayList<>(recent.size());
        for (long uid : recent) {
            uids.add(MessageUid.of(uid));
        }
        return uids;
    }

    @Override
    public Optional<MessageUid> getLastUid(Mailbox mailbox) throws MailboxException {
        long last = Folders.folder(registry, mailbox).log().read(FolderState::lastUid);
        return last == 0 ? Optional.empty() : Optional.of(MessageUid.of(last));
    }

    @Override
    public ModSeq getHighestModSeq(Mailbox mailbox) throws MailboxException {
        return ModSeq.of(Folders.folder(registry, mailbox).log().read(FolderState::highestModSeq));
    }

    /** The system flags and every keyword used in the folder since its creation (IMAP FLAGS only grows). */
    @Override
    public Flags getApplicableFlag(Mailbox mailbox) throws MailboxException {
        List<String> keywords = Folders.folder(registry, mailbox).log().read(state -> List.copyOf(state.keywords()));
        return ApplicableFlagBuilder.builder().add(keywords.toArray(String[]::new)).build();
    }

    @Override
    public Flux<MessageUid> listAllMessageUids(Mailbox mailbox) {
        return Mono.fromCallable(() -> Folders.folder(registry, mailbox).log()
                .read(FolderState::uids))
            .flatMapIterable(uids -> uids)
            .map(MessageUid::of);
    }

    // ================================================================ appends and copies

    /**
     * The content is stored first, outside any lock; the record is then group-committed: appends to one folder made
     * while another is being written go to the log together, in one append ({@link LoggedState#updateGrouped}).
     */
    @Override
    public MessageMetaData add(Mailbox mailbox, MailboxMessage message) throws MailboxException {
        PostMailboxId id = Folders.idOf(mailbox.getMailboxId());
        Folder folder = Folders.folder(registry, id);
        ContentWriter.Stored content = ContentWriter.referenceOf(folder.account().storage(), message, views);
        MessageEntry entry = folder.log().updateGrouped(ADDS, new PendingAdd(message, content, clock.millis()),
            (state, adds) -> {
                List<MessageEntry> entries = new ArrayList<>(adds.size());
                List<LogEntry> records = new ArrayList<>(adds.size());
                long uid = 0;
                long modSeq = 0;
                for (PendingAdd add : adds) {
                    uid = folder.uidFor(state, 0, uid);
                    modSeq = folder.modSeqFor(state, 0, modSeq);
                    MessageEntry added = entryOf(add.message(), add.content(), uid, modSeq, add.saveDate(),
                        FlagBits.systemFlags(add.message().createFlags()),
                        FlagBits.keywords(add.message().createFlags()));
                    entries.add(added);
                    records.add(new FolderRecord.MessageAdded(added).toEntry());
                }
                return LoggedState.Plan.of(records, entries);
            });
        message.setUid(MessageUid.of(entry.uid()));
        message.setModSeq(ModSeq.of(entry.modSeq()));
        return MessageViews.metaData(entry);
    }

    /** The group of {@link #add}s committed together. */
    private static final Object ADDS = new Object();

    private record PendingAdd(MailboxMessage message, ContentWriter.Stored content, long saveDate) {
    }

    @Override
    public MessageMetaData copy(Mailbox mailbox, MailboxMessage original) throws MailboxException {
        return copy(mailbox, List.of(original)).get(0);
    }

    /** Copies marked \Recent, each with a new UID and MODSEQ, in one append to the destination. */
    @Override
    public List<MessageMetaData> copy(Mailbox mailbox, List<MailboxMessage> originals) throws MailboxException {
        if (originals.isEmpty()) {
            return List.of();
        }
        Folder folder = Folders.folder(registry, mailbox);
        List<ContentWriter.Stored> contents = new ArrayList<>(originals.size());
        for (MailboxMessage original : originals) {
            contents.add(ContentWriter.referenceOf(folder.account().storage(), original, views));
        }
        long saveDate = clock.millis();
        List<MessageEntry> added = folder.log().update(state -> {
            List<MessageEntry> entries = new ArrayList<>(originals.size());
            List<LogEntry> records = new ArrayList<>(originals.size());
            long uid = 0;
            long modSeq = 0;
            for (int i = 0; i < originals.size(); i++) {
                MailboxMessage original = originals.get(i);
                Flags flags = original.createFlags();
                uid = folder.uidFor(state, 0, uid);
                modSeq = folder.modSeqFor(state, 0, modSeq);
                MessageEntry entry = entryOf(original, contents.get(i), uid, modSeq, saveDate,
                    FlagBits.systemFlags(flags) | SystemFlags.RECENT, FlagBits.keywords(flags));
                entries.add(entry);
                records.add(new FolderRecord.MessageAdded(entry).toEntry());
            }
            return LoggedState.Plan.of(records, entries);
        });
        return added.stream().map(MessageViews::metaData).toList();
    }

    @Override
    public MessageMetaData move(Mailbox mailbox, MailboxMessage original) throws MailboxException {
        return move(mailbox, List.of(original)).get(0);
    }

    /**
     * A copy into {@code mailbox} (one append), then the originals expunged from their folders (one append per
     * source folder). In that order: a failure in between leaves the message in both folders, never in neither.
     */
    @Override
    public List<MessageMetaData> move(Mailbox mailbox, List<MailboxMessage> originals) throws MailboxException {
        List<MessageMetaData> moved = copy(mailbox, originals);
        Map<PostMailboxId, List<MessageUid>> bySource = new LinkedHashMap<>();
        for (MailboxMessage original : originals) {
            bySource.computeIfAbsent(Folders.idOf(original.getMailboxId()), k -> new ArrayList<>())
                .add(original.getUid());
        }
        for (Map.Entry<PostMailboxId, List<MessageUid>> source : bySource.entrySet()) {
            expunge(Folders.folder(registry, source.getKey()), source.getValue());
        }
        return moved;
    }

    @Override
    public Mono<List<MessageMetaData>> moveReactive(Mailbox mailbox, List<MailboxMessage> original) {
        return Mono.fromCallable(() -> move(mailbox, original))
            .subscribeOn(Schedulers.boundedElastic());
    }

    // ================================================================ flags

    @Override
    public Iterator<UpdatedFlags> updateFlags(Mailbox mailbox, FlagsUpdateCalculator calculator, MessageRange set)
            throws MailboxException {
        Folder folder = Folders.folder(registry, mailbox);
        long from = set.getUidFrom().asLong();
        long to = set.getUidTo().asLong();
        return folder.log().update(state -> planFlags(folder, state, state.range(from, to, 0), calculator))
            .iterator();
    }

    /** Takes \Recent off every recent message of the folder in one append. */
    @Override
    public List<UpdatedFlags> resetRecent(Mailbox mailbox) throws MailboxException {
        Folder folder = Folders.folder(registry, mailbox);
        FlagsUpdateCalculator removeRecent = new FlagsUpdateCalculator(new Flags(Flags.Flag.RECENT),
            org.apache.james.mailbox.MessageManager.FlagsUpdateMode.REMOVE);
        return folder.log().update(state -> planFlags(folder, state, state.with(SystemFlags.RECENT), removeRecent));
    }

    /**
     * One MODSEQ for the whole operation, given to the messages whose flags change; the others are reported
     * unchanged with their own MODSEQ.
     */
    static LoggedState.Plan<List<UpdatedFlags>> planFlags(Folder folder, FolderState state, List<MessageEntry> targets,
                                                         FlagsUpdateCalculator calculator) {
        if (targets.isEmpty()) {
            return LoggedState.Plan.nothing(List.of());
        }
        long modSeq = 0;
        List<UpdatedFlags> updates = new ArrayList<>(targets.size());
        List<LogEntry> records = new ArrayList<>();
        for (MessageEntry entry : targets) {
            Flags oldFlags = MessageViews.flags(entry);
            Flags newFlags = calculator.buildNewFlags(oldFlags);
            long entryModSeq = entry.modSeq();
            if (UpdatedFlags.flagsChanged(oldFlags, newFlags)) {
                if (modSeq == 0) {
                    modSeq = folder.modSeqFor(state, 0, 0);
                }
                entryModSeq = modSeq;
                records.add(new FolderRecord.FlagsChanged(entry.uid(), modSeq, FlagBits.systemFlags(newFlags),
                    FlagBits.keywords(newFlags)).toEntry());
            }
            updates.add(UpdatedFlags.builder()
                .uid(MessageUid.of(entry.uid()))
                .messageId(new PostMessageId(entry.messageId()))
                .modSeq(ModSeq.of(entryModSeq))
                .oldFlags(oldFlags)
                .newFlags(newFlags)
                .build());
        }
        return LoggedState.Plan.of(records, updates);
    }

    // ================================================================ deletes

    @Override
    public void delete(Mailbox mailbox, MailboxMessage message) throws MailboxException {
        expunge(Folders.folder(registry, mailbox), List.of(message.getUid()));
    }

    @Override
    public Map<MessageUid, MessageMetaData> deleteMessages(Mailbox mailbox, List<MessageUid> uids)
            throws MailboxException {
        return expunge(Folders.folder(registry, mailbox), uids);
    }

    /** Expunges the messages of {@code uids} still in the folder, with one MODSEQ, in one append. */
    static Map<MessageUid, MessageMetaData> expunge(Folder folder, List<MessageUid> uids) throws MailboxException {
        if (uids.isEmpty()) {
            return Map.of();
        }
        return folder.log().update(state -> {
            Map<MessageUid, MessageMetaData> removed = new LinkedHashMap<>();
            List<LogEntry> records = new ArrayList<>();
            long modSeq = 0;
            for (MessageUid uid : uids) {
                MessageEntry entry = state.get(uid.asLong());
                if (entry == null || removed.containsKey(uid)) {
                    continue;
                }
                if (modSeq == 0) {
                    modSeq = folder.modSeqFor(state, 0, 0);
                }
                records.add(new FolderRecord.MessageExpunged(entry.uid(), modSeq).toEntry());
                removed.put(uid, MessageViews.metaData(entry));
            }
            return LoggedState.Plan.of(records, removed);
        });
    }

    // ================================================================ helpers

    static MessageEntry entryOf(MailboxMessage message, ContentWriter.Stored content, long uid, long modSeq,
                                long saveDate, int systemFlags, List<String> keywords) {
        MessageKey messageId = PostMessageId.keyOf(message.getMessageId());
        MessageKey threadId = message.getThreadId() == null ? messageId
            : PostMessageId.keyOf(message.getThreadId().getBaseMessageId());
        long bodyStart = message.getFullContentOctets() - message.getBodyOctets();
        return new MessageEntry(uid, modSeq, messageId, threadId, message.getInternalDate().getTime(), saveDate,
            message.getFullContentOctets(), bodyStart, systemFlags, keywords,
            message.getProperties().getTextualLineCount(), MessageViews.properties(message), content.reference(),
            content.prefix());
    }

    @Override
    public Publisher<MessageMetaData> addReactive(Mailbox mailbox, MailboxMessage message) {
        return Mono.fromCallable(() -> add(mailbox, message))
            .subscribeOn(Schedulers.boundedElastic());
    }
}

package org.epost.peer.mailbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.mail.Flags;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.model.search.MailboxQuery;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * Brings the search index up to date with the folders after a start: the index commits only now and then, so a
 * peer killed in between comes back with an index that lacks the last messages, still holds expunged ones or has old
 * flags. For each folder it reads what the index holds (UIDs, and the UIDs with each flag) and then the folder's
 * messages, and indexes the messages the index lacks, drops those the folder no longer has and rewrites the flags that
 * differ. No record of what was committed is needed, so it is right whatever moment the peer was killed at, even
 * between a message's append and its event. The index is read before the folder, holding the folder's lock: a message
 * expunged in between is dropped rightly, one appended in between is indexed by its event after the lock.
 */
final class SearchIndexCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(SearchIndexCatchUp.class);
    /** UIDs asked of the index per search: James's Lucene index answers at most 100,000 hits per search. */
    static final long UIDS_PER_SEARCH = 50_000;
    /** The flags James's index stores with a message (\Recent is the session's, not stored). */
    private static final List<Flags.Flag> STORED_FLAGS = List.of(Flags.Flag.ANSWERED, Flags.Flag.DELETED,
        Flags.Flag.DRAFT, Flags.Flag.FLAGGED, Flags.Flag.SEEN);

    private final CommittingLuceneSearchIndex index;
    private final MailboxSessionMapperFactory mappers;
    private final SessionProvider sessions;

    SearchIndexCatchUp(CommittingLuceneSearchIndex index, MailboxSessionMapperFactory mappers,
                       SessionProvider sessions) {
        this.index = index;
        this.mappers = mappers;
        this.sessions = sessions;
    }

    /** Every folder of {@code owners}; answers the messages fixed, or -1 when a folder could not be caught up. */
    long catchUpAll(Collection<Username> owners) {
        long fixed = 0;
        boolean complete = true;
        for (Username owner : owners) {
            try {
                MailboxSession session = sessions.createSystemSession(owner);
                List<Mailbox> folders = mappers.getMailboxMapper(session).findMailboxWithPathLike(
                    MailboxQuery.builder().privateNamespace().user(owner).matchesAllMailboxNames().build()
                        .asUserBound()).collectList().block();
                for (Mailbox folder : folders) {
                    fixed += catchUp(session, folder);
                }
            } catch (MailboxException | RuntimeException e) {
                complete = false;
                LOG.warn("Cannot catch the search index up with the folders of {} ({}); each is caught up at its"
                    + " first search instead", owner.asString(), e.toString());
            }
        }
        return complete ? fixed : -1;
    }

    /** The folder {@code id} (of a search over several folders); a folder that no longer exists needs nothing. */
    void catchUp(MailboxSession session, MailboxId id) throws MailboxException {
        Optional<Mailbox> folder = mappers.getMailboxMapper(session).findMailboxById(id)
            .onErrorResume(MailboxNotFoundException.class, e -> Mono.empty())
            .blockOptional();
        if (folder.isPresent()) {
            catchUp(folder.get());
        }
    }

    void catchUp(Mailbox folder) throws MailboxException {
        catchUp(sessions.createSystemSession(folder.getUser()), folder);
    }

    private long catchUp(MailboxSession session, Mailbox folder) throws MailboxException {
        MailboxId id = folder.getMailboxId();
        try {
            long fixed = index.exclusively(id, () -> {
                if (index.isFolderCaughtUp(id)) {
                    return 0L;
                }
                long count = compareAndFix(session, folder);
                index.folderCaughtUp(id);
                return count;
            });
            if (fixed > 0) {
                LOG.info("Search index caught up with {} of {}: {} messages indexed again, dropped or with new flags",
                    folder.getName(), folder.getUser().asString(), fixed);
            }
            return fixed;
        } catch (CatchUpFailure e) {
            throw e.cause;
        }
    }

    private long compareAndFix(MailboxSession session, Mailbox folder) {
        try {
            MessageMapper messages = mappers.getMessageMapper(session);
            Optional<MessageUid> last = messages.getLastUid(folder);
            Set<MessageUid> indexed = indexedUids(session, folder, SearchQuery.all(), last);
            Map<Flags.Flag, Set<MessageUid>> systemFlags = new HashMap<>();
            for (Flags.Flag flag : STORED_FLAGS) {
                systemFlags.put(flag, indexedUids(session, folder, SearchQuery.flagIsSet(flag), last));
            }
            Map<String, Set<MessageUid>> userFlags = new HashMap<>();
            for (String flag : messages.getApplicableFlag(folder).getUserFlags()) {
                userFlags.put(flag, indexedUids(session, folder, SearchQuery.flagIsSet(flag), last));
            }
            return fix(session, folder, messages, indexed, new IndexedFlags(systemFlags, userFlags));
        } catch (MailboxException e) {
            throw new CatchUpFailure(e);
        }
    }

    private long fix(MailboxSession session, Mailbox folder, MessageMapper messages, Set<MessageUid> indexed,
                     IndexedFlags indexedFlags) throws MailboxException {
        List<MessageUid> missing = new ArrayList<>();
        List<UpdatedFlags> stale = new ArrayList<>();
        Set<MessageUid> gone = new HashSet<>(indexed);
        for (Iterator<MailboxMessage> it = messages.findInMailbox(folder, MessageRange.all(),
                MessageMapper.FetchType.METADATA, -1); it.hasNext(); ) {
            MailboxMessage message = it.next();
            gone.remove(message.getUid());
            Flags flags = message.createFlags();
            if (!indexed.contains(message.getUid())) {
                missing.add(message.getUid());
            } else if (!indexedFlags.match(flags, message.getUid())) {
                stale.add(UpdatedFlags.builder().uid(message.getUid()).modSeq(message.getModSeq())
                    .oldFlags(new Flags()).newFlags(flags).build());
            }
        }
        MailboxId id = folder.getMailboxId();
        for (MessageRange range : MessageRange.toRanges(new ArrayList<>(gone))) {
            deleteFromIndex(id, range);
        }
        for (MessageUid uid : missing) {
            for (Iterator<MailboxMessage> it = messages.findInMailbox(folder, MessageRange.one(uid),
                    MessageMapper.FetchType.FULL, 1); it.hasNext(); ) {
                index.add(session, folder, it.next()).block();
            }
        }
        if (!stale.isEmpty()) {
            index.update(session, id, stale).block();
        }
        long fixed = missing.size() + stale.size() + gone.size();
        if (fixed > 0) {
            index.markChanged();
        }
        return fixed;
    }

    /** The UIDs the index holds with each stored flag, for one folder. */
    private record IndexedFlags(Map<Flags.Flag, Set<MessageUid>> system, Map<String, Set<MessageUid>> user) {
        /** A flag the folder has never had (no applicable user flag) is in neither the folder nor the index. */
        boolean match(Flags flags, MessageUid uid) {
            for (Map.Entry<Flags.Flag, Set<MessageUid>> flag : system.entrySet()) {
                if (flags.contains(flag.getKey()) != flag.getValue().contains(uid)) {
                    return false;
                }
            }
            for (Map.Entry<String, Set<MessageUid>> flag : user.entrySet()) {
                if (flags.contains(flag.getKey()) != flag.getValue().contains(uid)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The UIDs the index holds in {@code folder} matching {@code criterion}, asked in slices of UIDs. */
    private Set<MessageUid> indexedUids(MailboxSession session, Mailbox folder, SearchQuery.Criterion criterion,
                                        Optional<MessageUid> last) throws MailboxException {
        Set<MessageUid> uids = new HashSet<>();
        if (last.isEmpty()) {
            // an empty folder: whatever the index holds of it is stale, all of it
            uids.addAll(index.searchAsIndexed(session, folder, SearchQuery.of(criterion)).collectList().block());
            return uids;
        }
        for (long low = 1; low <= last.get().asLong(); low += UIDS_PER_SEARCH) {
            SearchQuery.UidRange slice = new SearchQuery.UidRange(MessageUid.of(low),
                MessageUid.of(low + UIDS_PER_SEARCH - 1));
            uids.addAll(index.searchAsIndexed(session, folder, SearchQuery.of(SearchQuery.uid(slice), criterion))
                .collectList().block());
        }
        return uids;
    }

    private void deleteFromIndex(MailboxId id, MessageRange range) {
        try {
            index.delete(id, range);
        } catch (java.io.IOException e) {
            throw new CatchUpFailure(new MailboxException("Cannot drop " + range + " of " + id
                + " from the search index", e));
        }
    }

    /** Carries a checked failure out of the folder's lock. */
    private static final class CatchUpFailure extends RuntimeException {
        private final MailboxException cause;

        CatchUpFailure(MailboxException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}

package org.epost.spam.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageIdManager;
import org.apache.james.mailbox.events.MailboxEvents.FlagsUpdated;
import org.apache.james.mailbox.events.MessageMoveEvent;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.epost.spam.policy.PersonalBlockLists;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.SpamCounters;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Junk learning, the way James's {@code SpamEventListener} hooks into the mailbox event bus: a message the user moves
 * into a junk folder ({@link JunkFolders}), or flags {@value #JUNK_KEYWORD}, puts its sender on the user's block list;
 * one moved out of a junk folder (not to Trash: deleting junk is no verdict) or flagged {@value #NOT_JUNK_KEYWORD}
 * takes it off. The sender is the message's verified origin, else its {@code From:} ({@link MessageSenders}); a
 * message the user sent themselves teaches nothing.
 */
public final class JunkLearningListener implements EventListener.ReactiveGroupEventListener {
    public static final String JUNK_KEYWORD = "$Junk";
    public static final String NOT_JUNK_KEYWORD = "$NotJunk";
    private static final Logger LOG = LoggerFactory.getLogger(JunkLearningListener.class);

    /** The listener's group on James's event bus: one delivery per event, retried by the bus on failure. */
    public static final class JunkLearningGroup extends Group {
    }

    private static final Group GROUP = new JunkLearningGroup();

    private final MailboxManager mailboxes;
    private final MessageIdManager messageIds;
    private final PersonalBlockLists lists;
    private final SpamCounters counters;

    public JunkLearningListener(MailboxManager mailboxes, MessageIdManager messageIds, PersonalBlockLists lists,
                                SpamCounters counters) {
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
        this.messageIds = Objects.requireNonNull(messageIds, "messageIds");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    public Group getDefaultGroup() {
        return GROUP;
    }

    @Override
    public boolean isHandling(Event event) {
        return event instanceof MessageMoveEvent || event instanceof FlagsUpdated;
    }

    @Override
    public Publisher<Void> reactiveEvent(Event event) {
        // Reading headers and writing the account log block: off the event bus's threads.
        return Mono.<Void>fromRunnable(() -> handle(event)).subscribeOn(Schedulers.boundedElastic());
    }

    void handle(Event event) {
        MailboxSession session = mailboxes.createSystemSession(event.getUsername());
        try {
            if (event instanceof MessageMoveEvent move) {
                moved(move, session);
            } else if (event instanceof FlagsUpdated flags) {
                flagged(flags, session);
            }
        } catch (MailboxException e) {
            throw new IllegalStateException("junk learning for " + event.getUsername().asString() + " failed: "
                + e.getMessage(), e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    private void moved(MessageMoveEvent move, MailboxSession session) throws MailboxException {
        Set<MailboxId> added = move.getMessageMoves().addedMailboxIds();
        Set<MailboxId> removed = move.getMessageMoves().removedMailboxIds();
        boolean intoJunk = any(added, session, JunkFolders::isJunk);
        boolean outOfJunk = !intoJunk && !added.isEmpty() && any(removed, session, JunkFolders::isJunk)
            && !any(added, session, JunkFolders::isTrash);
        if (intoJunk || outOfJunk) {
            learn(move.getUsername(), messageIds.getMessages(move.getMessageIds(), FetchGroup.HEADERS, session),
                intoJunk, intoJunk ? "moved to Junk" : "moved out of Junk");
        }
    }

    private void flagged(FlagsUpdated flags, MailboxSession session) throws MailboxException {
        for (UpdatedFlags updated : flags.getUpdatedFlags()) {
            boolean junk = newlySet(updated, JUNK_KEYWORD);
            boolean notJunk = newlySet(updated, NOT_JUNK_KEYWORD);
            if (junk == notJunk) {
                continue;
            }
            Optional<MessageId> id = updated.getMessageId();
            if (id.isPresent()) {
                learn(flags.getUsername(), messageIds.getMessage(id.get(), FetchGroup.HEADERS, session), junk,
                    junk ? "flagged " + JUNK_KEYWORD : "flagged " + NOT_JUNK_KEYWORD);
            }
        }
    }

    private static boolean newlySet(UpdatedFlags updated, String keyword) {
        return updated.getNewFlags().contains(keyword) && !updated.getOldFlags().contains(keyword);
    }

    private void learn(Username user, List<MessageResult> messages, boolean block, String why) throws MailboxException {
        for (MessageResult message : messages) {
            Optional<Sender> sender = senderOf(message);
            if (sender.isEmpty() || sender.get().address().equalsIgnoreCase(user.asString())) {
                continue;
            }
            String address = sender.get().address();
            boolean changed = block ? lists.block(user.asString(), address) : lists.unblock(user.asString(), address);
            if (changed) {
                if (block) {
                    counters.learnedBlock();
                } else {
                    counters.learnedUnblock();
                }
                LOG.info("{} {} {}: message {} {}", user.asString(), block ? "blocked" : "unblocked", address,
                    message.getMessageId().serialize(), why);
            }
        }
    }

    private static Optional<Sender> senderOf(MessageResult message) throws MailboxException {
        try (InputStream headers = message.getHeaders().getInputStream()) {
            return MessageSenders.of(headers);
        } catch (IOException e) {
            throw new MailboxException("cannot read the header of message " + message.getMessageId().serialize(), e);
        }
    }

    private boolean any(Collection<MailboxId> ids, MailboxSession session, Predicate<MailboxPath> test)
            throws MailboxException {
        for (MailboxId id : ids) {
            MailboxPath path;
            try {
                path = mailboxes.getMailbox(id, session).getMailboxPath();
            } catch (MailboxNotFoundException e) {
                continue; // deleted meanwhile: it is no verdict either way
            }
            if (test.test(path)) {
                return true;
            }
        }
        return false;
    }
}

package org.epost.peer.mail;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxExistsException;
import org.apache.james.mailbox.exception.OverQuotaException;
import org.apache.james.mailbox.model.ByteContent;
import org.apache.james.mailbox.model.Content;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.store.MailboxSessionMapperFactory;
import org.apache.james.mailbox.store.StoreMailboxManager;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.mailbox.mail.HeaderSectionMeter;
import org.epost.mailbox.mail.ReferencedAppends;
import org.epost.mailbox.model.MessageEntry;
import org.epost.interop.auth.HeaderSection;
import org.epost.interop.origin.Origin;
import org.epost.interop.origin.OriginStamp;
import org.epost.interop.origin.OriginVerdict;
import org.epost.post.accounts.UserCertificate;
import org.epost.post.delivery.RelayAccount;
import org.epost.post.message.MessageReference;
import org.epost.post.message.MessageStore;
import org.epost.post.notify.Notification;
import org.epost.post.notify.NotificationRefusedException;
import org.epost.post.notify.NotificationSink;
import org.epost.post.notify.RefusalReason;
import org.epost.spam.mail.JunkFolders;
import org.epost.spam.mail.MessageSenders;
import org.epost.spam.policy.DeliveryPolicy;
import org.epost.spam.policy.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;

/**
 * Where a home peer puts the mail its users are notified of: the message the notification names is fetched from
 * PAST and appended to the recipient's INBOX through James's {@link MailboxManager} (any mailbox backend), marked
 * recent, with the notification's date as internal date. The INBOX is created when missing. The returned future
 * completes only once the append is done, so the receipt the sender waits for means "in the mailbox".
 *
 * <p>The message is appended as stored except for its one {@code X-ePOST-Origin} header, written here from the
 * verified notification ({@link OriginVerdict}: {@code verified} only when a user's own key signed it and the
 * {@code From:} is that user) after every such header the message arrived with is removed ({@link OriginStamp}).
 * With the ePOST mailbox backend and a message that arrived without such a header, the stamped message is appended
 * by reference ({@link ReferencedAppends}): the folder records the sender's stored copy and the one header line
 * before it, nothing is stored again. A message up to {@link #STREAMED_BYTES} is fetched whole (the verdict reads its
 * {@code From:}, and the search index then reads it from the cache); a larger one only as far as its header, and James
 * reads the rest from the store in windows as it appends and indexes it, so no whole large message is ever in the
 * heap; with forged headers to remove, the stamped header is followed by the stored body, streamed, and the backend
 * stores it again as a stream (a new skeleton; large parts are convergent and shared with the sender's copy). A large
 * message whose header section is over {@code post.message.header.limit} ({@value #MAX_HEADER_BYTES} bytes unless
 * lowered) is refused for good. With another backend the
 * stamped message is read whole.
 *
 * <p>The {@link DeliveryPolicy} (the spam defences) chooses INBOX or the recipient's junk folder ({@link JunkFolders},
 * created when missing) from the stamped message's sender: blocked mail is junked, never dropped; only a domain that
 * discards mail from senders on the organization's list refuses it for good ({@link RefusalReason#BLOCKED}).
 *
 * <p>A notification handed over again ({@link #acceptAgain}: its earlier hand-over did not finish, e.g. the peer died
 * between the append and remembering the id as seen) is not appended when its stamped message is in the INBOX or a
 * junk folder already ({@link DeliveredCopies}), so a crash at any point delivers it once.
 *
 * <p>Failures: a notification that names no readable message, or an INBOX over quota, fails it for good with a
 * {@link NotificationRefusedException} (the home peer answers a signed refusal, the sender bounces); a message that
 * cannot be fetched or appended otherwise fails it for now (no receipt: the sender or the delegates try again).
 *
 * <p>Called on the overlay node's thread; fetching runs on the block service's threads and appending, which blocks,
 * on {@code blockingIo}.
 */
public final class InboxAppender implements NotificationSink {
    private static final Logger LOG = LoggerFactory.getLogger(InboxAppender.class);
    private static final OriginVerdict ORIGINS = new OriginVerdict(RelayAccount.DOMAIN);
    /** A message over this size is read as far as its header, then appended by reference: 1 MiB. */
    static final long STREAMED_BYTES = 1L << 20;
    /**
     * The longest header section of a large message unless {@code post.message.header.limit} lowers it: 256 KiB
     * (beyond, the message is refused and bounced); the SMTP hook refuses such a mail before its 250 with the same
     * setting.
     */
    static final int MAX_HEADER_BYTES = HeaderSectionMeter.MAX_HEADER_BYTES;

    private final MessageStore messages;
    private final MailboxManager mailboxes;
    private final Executor blockingIo;
    private final DeliveryPolicy policy;
    private final ReferencedAppends byReference;
    /** {@code post.message.header.limit}: the longest header section of a large message taken here. */
    private final int maxHeaderBytes;

    /** Appends everything to INBOX ({@link DeliveryPolicy#INBOX_ONLY}), by value. */
    public InboxAppender(MessageStore messages, MailboxManager mailboxes, Executor blockingIo) {
        this(messages, mailboxes, blockingIo, DeliveryPolicy.INBOX_ONLY, null);
    }

    /** By value, to INBOX or Junk as {@code policy} says. */
    public InboxAppender(MessageStore messages, MailboxManager mailboxes, Executor blockingIo, DeliveryPolicy policy) {
        this(messages, mailboxes, blockingIo, policy, null);
    }

    /** @param byReference where appends by reference are announced; null when the backend is not ePOST's */
    public InboxAppender(MessageStore messages, MailboxManager mailboxes, Executor blockingIo, DeliveryPolicy policy,
                         ReferencedAppends byReference) {
        this(messages, mailboxes, blockingIo, policy, byReference, MAX_HEADER_BYTES);
    }

    private InboxAppender(MessageStore messages, MailboxManager mailboxes, Executor blockingIo, DeliveryPolicy policy,
                          ReferencedAppends byReference, int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.messages = Objects.requireNonNull(messages, "messages");
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
        this.blockingIo = Objects.requireNonNull(blockingIo, "blockingIo");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.byReference = byReference;
    }

    /** Appends everything to INBOX, by reference when {@code mailboxes} is James's store over the ePOST backend. */
    public static InboxAppender of(MessageStore messages, MailboxManager mailboxes, Executor blockingIo) {
        return of(messages, mailboxes, blockingIo, DeliveryPolicy.INBOX_ONLY);
    }

    /** By reference when {@code mailboxes} is James's store over the ePOST backend, by value otherwise. */
    public static InboxAppender of(MessageStore messages, MailboxManager mailboxes, Executor blockingIo,
                                   DeliveryPolicy policy) {
        return of(messages, mailboxes, null, blockingIo, policy);
    }

    /**
     * By reference when {@code mappers} (or, when null, the factory of {@code mailboxes}) is the ePOST backend's:
     * James hands out its mailbox manager behind a proxy, through which the factory cannot be found.
     */
    public static InboxAppender of(MessageStore messages, MailboxManager mailboxes, MailboxSessionMapperFactory mappers,
                                   Executor blockingIo, DeliveryPolicy policy) {
        MailboxSessionMapperFactory factory = mappers != null ? mappers
            : mailboxes instanceof StoreMailboxManager store ? store.getMapperFactory() : null;
        ReferencedAppends byReference = factory instanceof PostMailboxSessionMapperFactory post
            ? post.referencedAppends() : null;
        LOG.info("Mail is appended to {} {}", mailboxes.getClass().getSimpleName(), byReference != null
            ? "by reference to the stored message" : "by value (not the ePOST mailbox backend)");
        return new InboxAppender(messages, mailboxes, blockingIo, policy, byReference);
    }

    /** The same appender, refusing large messages whose header section is over {@code bytes} (at most the default). */
    public InboxAppender withMaxHeaderBytes(int bytes) {
        if (bytes < 1 || bytes > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("the header limit must be from 1 to " + MAX_HEADER_BYTES + ", not " + bytes);
        }
        return new InboxAppender(messages, mailboxes, blockingIo, policy, byReference, bytes);
    }

    @Override
    public CompletableFuture<Void> accept(Notification notification, UserCertificate sender) {
        return deliver(notification, sender, false);
    }

    /** As {@link #accept}, unless the INBOX or junk folder holds the mail already (an append before a crash). */
    @Override
    public CompletableFuture<Void> acceptAgain(Notification notification, UserCertificate sender) {
        return deliver(notification, sender, true);
    }

    private CompletableFuture<Void> deliver(Notification notification, UserCertificate sender, boolean again) {
        MessageReference reference;
        try {
            reference = messageOf(notification);
        } catch (IllegalArgumentException e) {
            LOG.warn("Notification {} from {} names no message: {}", notification.idHex(), notification.sender(),
                e.getMessage());
            return CompletableFuture.failedFuture(new NotificationRefusedException(RefusalReason.UNREADABLE,
                e.getMessage()));
        }
        CompletableFuture<Stamped> stamped = byReference == null || reference.size() <= STREAMED_BYTES
            ? whole(notification, reference)
            : CompletableFuture.supplyAsync(() -> fromHeader(notification, reference), blockingIo);
        return stamped.thenApplyAsync(message -> {
            Date date = new Date(notification.date());
            if (again && alreadyThere(notification.recipient(), message.content(), date)) {
                LOG.info("Notification {} from {} is in the mailbox of {} already (appended before a crash or"
                    + " a failure); not appended again", notification.idHex(), notification.sender(),
                    notification.recipient());
                return (Void) null;
            }
            Verdict verdict = policy.verdict(notification.recipient(), MessageSenders.of(message.header()),
                notification, sender);
            if (verdict == Verdict.DISCARD) {
                // not silently lost: the signed refusal makes the sending peer bounce it to its sender
                throw new CompletionException(new NotificationRefusedException(RefusalReason.BLOCKED,
                    "the sender is on the organization's block list"));
            }
            if (verdict == Verdict.REFUSE_FIRST_CONTACT) {
                throw new CompletionException(new NotificationRefusedException(
                    RefusalReason.NO_FIRST_CONTACT_PUZZLE, "a first contact without a valid puzzle"));
            }
            append(notification.recipient(), message.content(), date, verdict);
            LOG.info("Appended {} bytes from {} to the {} of {} as {} (notification {})", message.size(),
                notification.sender(), verdict, notification.recipient(), message.origin().headerValue(),
                notification.idHex());
            return (Void) null;
        }, blockingIo);
    }

    /**
     * The message to append: its content (to James), its stamped header (or whole stamped bytes: what the delivery
     * policy reads the sender from) and its origin.
     */
    private record Stamped(Content content, long size, byte[] header, Origin origin) {
    }

    /** Fetched whole, stamped, and appended by reference when the stamp only put its line first. */
    private CompletableFuture<Stamped> whole(Notification notification, MessageReference reference) {
        return messages.fetch(reference).thenApplyAsync(message -> {
            Origin origin = ORIGINS.of(notification.sender(), message);
            int forged = logForged(notification, message);
            byte[] stamped = OriginStamp.stamp(message, origin);
            int prefix = stamped.length - message.length;
            Content content = byReference != null && forged == 0 && onlyPrefixed(stamped, message)
                ? byReference.content(messages, reference, Arrays.copyOf(stamped, prefix), message)
                : new ByteContent(stamped);
            return new Stamped(content, stamped.length, stamped, origin);
        }, blockingIo);
    }

    /**
     * A large message read only as far as its header and stamped there: appended by reference when the stamp only put
     * its line first, otherwise (forged {@code X-ePOST-Origin} fields removed) as the stamped header followed by the
     * stored body, read from the store when James reads it and stored again as a stream. A header section over
     * {@code post.message.header.limit} bytes is refused for good ({@link RefusalReason#UNREADABLE}: the sender bounces it),
     * since it can be neither held in memory nor checked for such fields.
     */
    private Stamped fromHeader(Notification notification, MessageReference reference) {
        byte[] header;
        try (InputStream in = byReference.content(messages, reference, new byte[0]).getInputStream()) {
            header = HeaderSection.read(in, maxHeaderBytes);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
        if (header == null) {
            LOG.warn("Notification {}: refused the {} bytes message from {} to {}: its header section is over {} bytes",
                notification.idHex(), reference.size(), notification.sender(), notification.recipient(),
                maxHeaderBytes);
            throw new CompletionException(new NotificationRefusedException(RefusalReason.UNREADABLE,
                "the message's header section is over " + maxHeaderBytes + " bytes"));
        }
        int forged = logForged(notification, header);
        Origin origin = ORIGINS.of(notification.sender(), header);
        byte[] stamped = OriginStamp.stamp(header, origin);
        if (forged > 0 || !onlyPrefixed(stamped, header)) {
            return new Stamped(byReference.withHeader(messages, reference, stamped, header.length),
                stamped.length + reference.size() - header.length, stamped, origin);
        }
        byte[] prefix = Arrays.copyOf(stamped, stamped.length - header.length);
        return new Stamped(byReference.content(messages, reference, prefix), prefix.length + reference.size(),
            stamped, origin);
    }

    private static int logForged(Notification notification, byte[] message) {
        int forged = OriginStamp.count(message);
        if (forged > 0) {
            LOG.info("Removed {} {} header(s) the message from {} arrived with (notification {})", forged,
                Origin.HEADER, notification.sender(), notification.idHex());
        }
        return forged;
    }

    /** Whether {@code stamped} is {@code original} with a few header bytes put first (what an entry can record). */
    private static boolean onlyPrefixed(byte[] stamped, byte[] original) {
        int prefix = stamped.length - original.length;
        return prefix > 0 && prefix <= MessageEntry.MAX_PREFIX_BYTES
            && Arrays.equals(stamped, prefix, stamped.length, original, 0, original.length);
    }

    private static MessageReference messageOf(Notification notification) {
        List<byte[]> parts = notification.parts();
        if (parts.size() != 1) {
            throw new IllegalArgumentException("a mail notification names one message reference, not " + parts.size()
                + " parts");
        }
        MessageReference reference = MessageReference.decode(parts.get(0));
        if (reference.size() != notification.totalSize()) {
            throw new IllegalArgumentException("the message reference says " + reference.size() + " bytes, the"
                + " notification " + notification.totalSize());
        }
        return reference;
    }

    private boolean alreadyThere(String recipient, Content message, Date internalDate) {
        MailboxSession session = mailboxes.createSystemSession(Username.of(recipient));
        try {
            return DeliveredCopies.holds(mailboxes, session, message, internalDate);
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot look for an earlier copy in the mailbox of " + recipient + ": "
                + e.getMessage(), e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    private void append(String recipient, Content message, Date internalDate, Verdict verdict) {
        MailboxSession session = mailboxes.createSystemSession(Username.of(recipient));
        try {
            MailboxPath inbox = verdict == Verdict.JUNK ? JunkFolders.findOrCreate(mailboxes, session)
                : MailboxPath.inbox(session);
            if (!Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(inbox, session)).block())) {
                try {
                    mailboxes.createMailbox(inbox, session);
                } catch (MailboxExistsException e) {
                    // created meanwhile by the user's client or another delivery
                }
            }
            mailboxes.getMailbox(inbox, session).appendMessage(MessageManager.AppendCommand.builder()
                .withInternalDate(internalDate)
                .recent()
                .build(message), session);
        } catch (OverQuotaException e) {
            // permanent until the user frees space: the home peer answers a signed refusal and the sender bounces
            throw new CompletionException(new NotificationRefusedException(RefusalReason.QUOTA, e.getMessage()));
        } catch (MailboxException e) {
            throw new IllegalStateException("cannot append to the INBOX of " + recipient + ": " + e.getMessage(), e);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }
}

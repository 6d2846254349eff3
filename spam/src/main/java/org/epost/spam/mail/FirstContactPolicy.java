package org.epost.spam.mail;

import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

import org.epost.post.accounts.UserCertificate;
import org.epost.post.delivery.NotificationSender;
import org.epost.post.delivery.RelayAccount;
import org.epost.post.notify.Notification;
import org.epost.spam.policy.AllowLists;
import org.epost.spam.policy.DeliveryPolicy;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.SpamCounters;
import org.epost.spam.policy.Verdict;
import org.epost.spam.puzzle.PuzzleVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of first-contact puzzles, around the block lists ({@code inner}): a notification from an ePOST
 * sender the recipient has not exchanged mail with ({@link AccountLogCorrespondents}) and has not allowed (their
 * {@link AllowLists}, kept under {@value AccountLogBlockLists#ALLOWED_KEY}) must carry a valid puzzle
 * ({@link PuzzleVerifier}) at the base its home peer publishes for them ({@link FirstContactRules}), or it goes to Junk
 * (or is refused, where the rules say so, and bounced by the sender's peer), logged with the reason and counted. Mail
 * landing in INBOX makes its sender known. Mail the relay account signs (from outside ePOST), and mail to oneself, is
 * not asked for one. The sending side is {@link #outgoing}: {@link FirstContactSender}.
 */
public final class FirstContactPolicy implements DeliveryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(FirstContactPolicy.class);

    /** How the sending side is built around this peer's notification sender. */
    public interface Outgoing {
        NotificationSender around(NotificationSender send);
    }

    private final DeliveryPolicy inner;
    private final AllowLists allowed;
    private final AccountLogCorrespondents known;
    private final PuzzleVerifier verifier;
    private final PuzzleKeys keys;
    private final FirstContactRules rules;
    private final SpamCounters counters;
    private final Outgoing outgoing;

    public FirstContactPolicy(DeliveryPolicy inner, AllowLists allowed, AccountLogCorrespondents known,
                              PuzzleVerifier verifier, PuzzleKeys keys, FirstContactRules rules, SpamCounters counters,
                              Outgoing outgoing) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.known = Objects.requireNonNull(known, "known");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.outgoing = Objects.requireNonNull(outgoing, "outgoing");
    }

    @Override
    public Verdict verdict(String recipient, Optional<Sender> sender) {
        return inner.verdict(recipient, sender);
    }

    @Override
    public Verdict verdict(String recipient, Optional<Sender> sender, Notification notification,
                           UserCertificate signer) {
        Verdict verdict = inner.verdict(recipient, sender, notification, signer);
        if (verdict != Verdict.INBOX || notification.sender().endsWith("@" + RelayAccount.DOMAIN)
                || notification.sender().equals(recipient)) {
            return verdict;
        }
        String from = notification.sender();
        try {
            boolean knows = known.of(recipient).knows(from);
            if (!knows && !allowed.allows(recipient, from)) {
                Optional<PublicKey> own = keys.local(recipient);
                if (own.isEmpty()) {
                    LOG.warn("No key for {} on its home peer: the puzzle of notification {} is not checked",
                        recipient, notification.idHex());
                    return verdict;
                }
                Optional<String> failure = verifier.failure(notification, signer.signingKey(), own.get(),
                    rules.baseBits(recipient));
                counters.puzzleChecked(failure.isPresent());
                if (failure.isPresent() && rules.refuses(recipient)) {
                    LOG.info("Refused first-contact mail from {} for {}: {} (notification {}; the sender's peer"
                        + " bounces it)", from, recipient, failure.get(), notification.idHex());
                    return Verdict.REFUSE_FIRST_CONTACT;
                }
                if (failure.isPresent()) {
                    counters.junked();
                    LOG.info("Junked first-contact mail from {} for {}: {} (notification {})", from, recipient,
                        failure.get(), notification.idHex());
                    return Verdict.JUNK;
                }
            }
            if (!knows) {
                known.learn(recipient, from);
            }
        } catch (RuntimeException e) {
            // an unreadable account log must not lose mail: it goes to INBOX, as with the block lists
            LOG.warn("Cannot apply the first-contact check for {} to mail from {}: {}", recipient, from,
                e.getMessage());
        }
        return verdict;
    }

    @Override
    public NotificationSender outgoing(NotificationSender send) {
        return outgoing.around(send);
    }
}

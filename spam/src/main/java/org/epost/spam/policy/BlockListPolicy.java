package org.epost.spam.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Junks a message whose sender is on the recipient's own block list, on a list the recipient follows, or on the
 * organization's list; everything else goes to INBOX. A sender on the recipient's allow list (address or
 * {@code @domain}) is never junked by the recipient's own or followed lists (the organization's still applies). Mail
 * from a sender on the organization's list to a domain the organization discards for is discarded instead (refused:
 * the sender's peer bounces it). A list that cannot be read (a broken account log) does not stop delivery: the
 * message goes to INBOX and the failure is logged, since losing or refusing mail is worse than letting one through.
 */
public final class BlockListPolicy implements DeliveryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(BlockListPolicy.class);

    private final PersonalBlockLists personal;
    private final AllowLists allowed;
    private final FollowedBlockLists followed;
    private final Supplier<OrganizationSpamPolicy> organization;
    private final SpamCounters counters;

    public BlockListPolicy(PersonalBlockLists personal, Supplier<BlockList> organization, SpamCounters counters) {
        this(personal, user -> BlockList.EMPTY, FollowedBlockLists.NONE,
            () -> OrganizationSpamPolicy.EMPTY.withBlocked(organization.get()), counters);
    }

    /** @param allowed each user's allow list (the same kind of list) */
    public BlockListPolicy(PersonalBlockLists personal, AllowLists allowed, FollowedBlockLists followed,
                           Supplier<OrganizationSpamPolicy> organization, SpamCounters counters) {
        this.personal = Objects.requireNonNull(personal, "personal");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.followed = Objects.requireNonNull(followed, "followed");
        this.organization = Objects.requireNonNull(organization, "organization");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    public Verdict verdict(String recipient, Optional<Sender> sender) {
        if (sender.isEmpty()) {
            return Verdict.INBOX;
        }
        String list;
        Verdict verdict;
        try {
            OrganizationSpamPolicy shared = organization.get();
            boolean byOrganization = shared.blocked().blocks(sender.get());
            verdict = byOrganization && shared.discardsFor(recipient) ? Verdict.DISCARD : Verdict.JUNK;
            boolean allowedByRecipient = allowed.allows(recipient, sender.get().address());
            if (!allowedByRecipient && personal.of(recipient).blocks(sender.get())) {
                list = "personal";
            } else if (byOrganization) {
                list = "organization";
            } else if (allowedByRecipient) {
                return Verdict.INBOX;
            } else {
                list = followed.blocking(recipient, sender.get()).orElse(null);
                if (list == null) {
                    return Verdict.INBOX;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the block lists for {}: mail from {} goes to INBOX: {}", recipient,
                sender.get().address(), e.getMessage());
            return Verdict.INBOX;
        }
        if (verdict == Verdict.DISCARD) {
            counters.discarded();
        } else {
            counters.junked();
        }
        LOG.info("{} mail from {} ({}) for {}: on the {} block list", verdict == Verdict.DISCARD ? "Discarded"
            : "Junked", sender.get().address(), sender.get().verified() ? "verified" : "external", recipient, list);
        return verdict;
    }
}

package org.epost.spam.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Junks a message whose sender is on the recipient's own block list or on the organization's list; everything else
 * goes to INBOX. A sender on the recipient's allow list (address or {@code @domain}) is never junked by their own
 * list (the organization's still applies). A list that cannot be read (a broken account log) does not stop delivery: the message goes to INBOX
 * and the failure is logged, since losing or refusing mail is worse than letting one through.
 */
public final class BlockListPolicy implements DeliveryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(BlockListPolicy.class);

    private final PersonalBlockLists personal;
    private final AllowLists allowed;
    private final Supplier<BlockList> organization;
    private final SpamCounters counters;

    public BlockListPolicy(PersonalBlockLists personal, Supplier<BlockList> organization, SpamCounters counters) {
        this(personal, user -> BlockList.EMPTY, organization, counters);
    }

    /** @param allowed each user's allow list (the same kind of list) */
    public BlockListPolicy(PersonalBlockLists personal, AllowLists allowed, Supplier<BlockList> organization,
                           SpamCounters counters) {
        this.personal = Objects.requireNonNull(personal, "personal");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.organization = Objects.requireNonNull(organization, "organization");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    @Override
    public Verdict verdict(String recipient, Optional<Sender> sender) {
        if (sender.isEmpty()) {
            return Verdict.INBOX;
        }
        String list;
        try {
            if (!allowed.allows(recipient, sender.get().address()) && personal.of(recipient).blocks(sender.get())) {
                list = "personal";
            } else if (organization.get().blocks(sender.get())) {
                list = "organization";
            } else {
                return Verdict.INBOX;
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the block lists for {}: mail from {} goes to INBOX: {}", recipient,
                sender.get().address(), e.getMessage());
            return Verdict.INBOX;
        }
        counters.junked();
        LOG.info("Junked mail from {} ({}) for {}: on the {} block list", sender.get().address(),
            sender.get().verified() ? "verified" : "external", recipient, list);
        return Verdict.JUNK;
    }
}

package org.epost.mailets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.epost.post.delivery.PostGateway;

/**
 * Matches the recipients that {@link EpostDelivery} delivers: ePOST accounts, and addresses on an ePOST domain the ring
 * cannot tell about now (the peer is starting, the ring does not answer) — the mailet retries those, where stock James
 * would bounce a user it does not host. Addresses on an ePOST domain without an ePOST account are left to James's
 * usual matchers (a local user of the stock kind, or an unknown address).
 */
public class RecipientIsEpost extends GenericMatcher {
    private final EpostRecipients recipients;

    @Inject
    public RecipientIsEpost(PostGateway gateway) {
        this.recipients = new EpostRecipients(gateway);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        List<MailAddress> matched = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            RecipientKind kind = recipients.kindOf(recipient);
            if (kind == RecipientKind.EPOST || kind == RecipientKind.UNDECIDED) {
                matched.add(recipient);
            }
        }
        return matched;
    }
}

package org.epost.mailets;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.james.core.MailAddress;
import org.epost.post.delivery.PostGateway;
import org.epost.post.delivery.PostSender;
import org.epost.post.delivery.RecipientDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the {@link RecipientKind} of envelope recipients, waiting a bounded time for the ring's answer. */
final class EpostRecipients {
    private static final Logger LOG = LoggerFactory.getLogger(EpostRecipients.class);
    static final long LOOKUP_SECONDS = 30;

    private final PostGateway gateway;

    EpostRecipients(PostGateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    RecipientKind kindOf(MailAddress recipient) {
        if (gateway.routedToLegacy(recipient.asString())) {
            return RecipientKind.LEGACY;
        }
        if (!gateway.isEpostDomain(recipient.getDomain().asString())) {
            return RecipientKind.NOT_EPOST;
        }
        Optional<PostSender> sender = gateway.sender();
        if (sender.isEmpty()) {
            return RecipientKind.UNDECIDED;
        }
        try {
            RecipientDirectory.Status status = sender.get().recipients().lookup(recipient.asString())
                .get(LOOKUP_SECONDS, TimeUnit.SECONDS);
            return switch (status) {
                case EPOST -> RecipientKind.EPOST;
                case UNKNOWN -> RecipientKind.UNKNOWN;
                case NOT_EPOST_DOMAIN -> RecipientKind.NOT_EPOST;
            };
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Cannot tell whether {} is an ePOST account now: {}", recipient.asString(),
                e instanceof ExecutionException ? e.getCause().getMessage() : "no answer within " + LOOKUP_SECONDS + " s");
            return RecipientKind.UNDECIDED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RecipientKind.UNDECIDED;
        }
    }
}

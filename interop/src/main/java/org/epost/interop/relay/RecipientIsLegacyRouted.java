package org.epost.interop.relay;

import java.util.Collection;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.epost.interop.routes.RouteStore;

/**
 * Matches the recipients whose route (user route, else their domain's default) is the legacy server: the users of a
 * domain ePOST serves who have not moved yet. Use with {@link LegacyRelay} in the {@code transport} processor before
 * local and ePOST delivery.
 */
public class RecipientIsLegacyRouted extends GenericMatcher {
    private final RouteStore routes;

    @Inject
    public RecipientIsLegacyRouted(RouteStore routes) {
        this.routes = routes;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getRecipients().stream()
            .filter(recipient -> routes.routeOf(recipient.asString()).isLegacy())
            .toList();
    }
}

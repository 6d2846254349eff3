package org.epost.peer.accounts;

import java.util.Iterator;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepositoryException;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.post.accounts.AccountService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, makes the notification service serve every user homed here: each James user of an ePOST domain whose
 * keys are in this peer's vault (users added later are served by {@link AccountProvisioner} as they are provisioned).
 */
public class LocalUsers {
    private static final Logger LOG = LoggerFactory.getLogger(LocalUsers.class);

    private final EpostConfiguration configuration;
    private final PostReadiness post;
    private final PersistentUsersRepository users;

    @Inject
    public LocalUsers(EpostConfiguration configuration, PostReadiness post, PersistentUsersRepository users) {
        this.configuration = configuration;
        this.post = post;
        this.users = users;
    }

    /** Serves the provisioned users of the ePOST domains; answers how many. */
    public int serveAll() throws UsersRepositoryException {
        Optional<PostServices> running = post.ifRunning();
        if (running.isEmpty() || configuration.post().isEmpty()) {
            return 0;
        }
        PostServices services = running.get();
        AccountService accounts = services.accounts();
        int served = 0;
        for (Iterator<Username> it = users.list(); it.hasNext(); ) {
            Username user = it.next();
            boolean epostDomain = user.getDomainPart()
                .map(domain -> configuration.post().get().isEpostDomain(domain.asString())).orElse(false);
            if (!epostDomain) {
                continue;
            }
            if (accounts.isProvisioned(user.asString())) {
                services.serve(user.asString());
                served++;
            } else {
                LOG.warn("{} is a user of an ePOST domain without keys on this peer: its mail is not accepted here"
                    + " (remove and add the user again to provision it)", user.asString());
            }
        }
        LOG.info("Serving the ePOST mail of {} local users", served);
        return served;
    }
}

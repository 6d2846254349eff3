package org.epost.peer.directory;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link UsersRepository} James sees. It delegates storage and tells every {@link UserLifecycleListener} about
 * added and removed accounts. James has no user-added event, and both the CLI and WebAdmin go through this binding,
 * so decorating it is the one place that sees every account change.
 *
 * <p>An account and what listeners make for it exist together or not at all: a listener failing on add removes the
 * account again, and a listener failing on remove keeps it.
 */
public class ProvisioningUsersRepository implements UsersRepository {
    public static final String DELEGATE = "epost-users-storage";
    private static final Logger LOGGER = LoggerFactory.getLogger(ProvisioningUsersRepository.class);

    private final UsersRepository delegate;
    private final List<UserLifecycleListener> listeners;

    private final MovedUsers moved;

    public ProvisioningUsersRepository(@Named(DELEGATE) UsersRepository delegate, Set<UserLifecycleListener> listeners) {
        this(delegate, listeners, new MovedUsers());
    }

    @Inject
    public ProvisioningUsersRepository(@Named(DELEGATE) UsersRepository delegate, Set<UserLifecycleListener> listeners,
                                       MovedUsers moved) {
        this.delegate = delegate;
        this.listeners = List.copyOf(listeners);
        this.moved = moved;
    }

    @Override
    public void addUser(Username username, String password) throws UsersRepositoryException {
        delegate.addUser(username, password);
        moved.forget(username.asString());
        for (UserLifecycleListener listener : listeners) {
            try {
                listener.userAdded(username);
            } catch (Exception e) {
                LOGGER.error("Provisioning {} failed in {}; removing the account again", username.asString(),
                    listener.getClass().getName(), e);
                undoAdd(username);
                throw new UsersRepositoryException("Could not provision " + username.asString() + ": " + e.getMessage(), e);
            }
        }
        LOGGER.info("Added user {}", username.asString());
    }

    private void undoAdd(Username username) {
        try {
            delegate.removeUser(username);
        } catch (UsersRepositoryException e) {
            LOGGER.error("Could not remove the half-provisioned account {}", username.asString(), e);
        }
    }

    @Override
    public void removeUser(Username name) throws UsersRepositoryException {
        for (UserLifecycleListener listener : listeners) {
            try {
                listener.userRemoving(name);
            } catch (Exception e) {
                throw new UsersRepositoryException("Could not retire " + name.asString() + " in "
                    + listener.getClass().getName() + "; the account is kept: " + e.getMessage(), e);
            }
        }
        delegate.removeUser(name);
        moved.forget(name.asString());
        LOGGER.info("Removed user {}", name.asString());
    }

    @Override
    public User getUserByName(Username name) throws UsersRepositoryException {
        return delegate.getUserByName(name);
    }

    @Override
    public void updateUser(User user) throws UsersRepositoryException {
        delegate.updateUser(user);
    }

    @Override
    public boolean contains(Username name) throws UsersRepositoryException {
        return delegate.contains(name);
    }

    @Override
    public Publisher<Boolean> containsReactive(Username name) {
        return delegate.containsReactive(name);
    }

    @Override
    public boolean test(Username name, String password) throws UsersRepositoryException {
        Optional<String> newHome = moved.newHomeOf(name.asString());
        if (newHome.isPresent()) {
            LOGGER.warn("Login of {} refused: the user was re-homed on {}", name.asString(), newHome.get());
            return false;
        }
        return delegate.test(name, password);
    }

    @Override
    public int countUsers() throws UsersRepositoryException {
        return delegate.countUsers();
    }

    @Override
    public Iterator<Username> list() throws UsersRepositoryException {
        return delegate.list();
    }

    @Override
    public Publisher<Username> listReactive() {
        return delegate.listReactive();
    }

    @Override
    public boolean supportVirtualHosting() throws UsersRepositoryException {
        return delegate.supportVirtualHosting();
    }

    @Override
    public Username getUsername(MailAddress mailAddress) throws UsersRepositoryException {
        return delegate.getUsername(mailAddress);
    }

    @Override
    public MailAddress getMailAddressFor(Username username) throws UsersRepositoryException {
        return delegate.getMailAddressFor(username);
    }

    @Override
    public boolean isAdministrator(Username username) throws UsersRepositoryException {
        return delegate.isAdministrator(username);
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public void assertValid(Username username) throws UsersRepositoryException {
        delegate.assertValid(username);
    }
}

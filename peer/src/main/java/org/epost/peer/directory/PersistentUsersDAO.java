package org.epost.peer.directory;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.core.Username;
import org.apache.james.lifecycle.api.Configurable;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.user.api.model.User;
import org.apache.james.user.lib.UsersDAO;
import org.apache.james.user.lib.model.Algorithm;
import org.apache.james.user.lib.model.DefaultUser;
import org.epost.peer.directory.PeerDirectoryStore.Table;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * User accounts (name, password hash, hash algorithm) in the peer's directory store. Only hashes are stored, with the
 * algorithm each was made with, so that changing {@code <algorithm>} in usersrepository.xml keeps old passwords valid
 * (James rehashes them with the new algorithm on the next password change).
 */
public class PersistentUsersDAO implements UsersDAO, Configurable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored form of one account. */
    record StoredUser(String passwordHash, String algorithm) {
    }

    private final PeerDirectoryStore store;
    private volatile Algorithm preferredAlgorithm = Algorithm.of("PBKDF2");

    public PersistentUsersDAO(PeerDirectoryStore store) {
        this.store = store;
    }

    @Override
    public void configure(HierarchicalConfiguration<ImmutableNode> config) {
        preferredAlgorithm = Algorithm.of(config.getString("algorithm", "PBKDF2"),
            config.getString("hashingMode", Algorithm.HashingMode.PLAIN.name()));
    }

    @Override
    public boolean getDefaultVirtualHostingValue() {
        return true;
    }

    @Override
    public synchronized void addUser(Username username, String password) throws UsersRepositoryException {
        DefaultUser user = new DefaultUser(username, preferredAlgorithm, preferredAlgorithm);
        user.setPassword(password);
        write(user);
    }

    @Override
    public Optional<DefaultUser> getUserByName(Username name) throws UsersRepositoryException {
        Optional<byte[]> stored = stored(name);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            StoredUser user = JSON.readValue(stored.get(), StoredUser.class);
            Algorithm algorithm = Algorithm.of(user.algorithm());
            return Optional.of(new DefaultUser(name, user.passwordHash(), algorithm, preferredAlgorithm));
        } catch (IOException e) {
            throw new UsersRepositoryException("The stored account of " + name.asString() + " is unreadable", e);
        }
    }

    @Override
    public synchronized void updateUser(User user) throws UsersRepositoryException {
        if (!(user instanceof DefaultUser)) {
            throw new UsersRepositoryException("Cannot store a " + user.getClass().getName() + "; expected a DefaultUser");
        }
        if (!contains(user.getUserName())) {
            throw new UsersRepositoryException("Please provide an existing user to update");
        }
        write((DefaultUser) user);
    }

    @Override
    public synchronized void removeUser(Username name) throws UsersRepositoryException {
        if (!contains(name)) {
            throw new UsersRepositoryException("unable to remove unknown user " + name.asString());
        }
        try {
            store.delete(Table.USERS, name.asString());
        } catch (DirectoryStoreException e) {
            throw new UsersRepositoryException("Cannot remove " + name.asString() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(Username name) throws UsersRepositoryException {
        return stored(name).isPresent();
    }

    @Override
    public int countUsers() throws UsersRepositoryException {
        return listAll().size();
    }

    @Override
    public Iterator<Username> list() throws UsersRepositoryException {
        return listAll().stream().map(Username::of).iterator();
    }

    private List<String> listAll() throws UsersRepositoryException {
        try {
            return store.keys(Table.USERS);
        } catch (DirectoryStoreException e) {
            throw new UsersRepositoryException("Cannot list users: " + e.getMessage(), e);
        }
    }

    private void write(DefaultUser user) throws UsersRepositoryException {
        try {
            byte[] value = JSON.writeValueAsBytes(new StoredUser(user.getHashedPassword(), user.getHashAlgorithm().asString()));
            store.put(Table.USERS, user.getUserName().asString(), value);
        } catch (IOException | DirectoryStoreException e) {
            throw new UsersRepositoryException("Cannot store " + user.getUserName().asString() + ": " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> stored(Username name) throws UsersRepositoryException {
        try {
            return store.get(Table.USERS, name.asString());
        } catch (DirectoryStoreException e) {
            throw new UsersRepositoryException("Cannot read " + name.asString() + ": " + e.getMessage(), e);
        }
    }
}

package org.epost.peer.directory;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.user.lib.UsersRepositoryImpl;

/** James's standard users repository logic (validation, virtual hosting, admins) over {@link PersistentUsersDAO}. */
public class PersistentUsersRepository extends UsersRepositoryImpl<PersistentUsersDAO> {

    @Inject
    public PersistentUsersRepository(DomainList domainList, PeerDirectoryStore store) {
        super(domainList, new PersistentUsersDAO(store));
    }

    @Override
    public void configure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.configure(configuration);
        usersDAO.configure(configuration);
    }
}

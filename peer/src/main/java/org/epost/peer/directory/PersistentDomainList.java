package org.epost.peer.directory;

import java.util.List;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.domainlist.lib.AbstractDomainList;
import org.epost.peer.directory.PeerDirectoryStore.Table;

/** James's domain list, kept in the peer's directory store so that domains survive restarts. */
public class PersistentDomainList extends AbstractDomainList {
    private static final byte[] PRESENT = new byte[0];

    private final PeerDirectoryStore store;

    @Inject
    public PersistentDomainList(DNSService dns, PeerDirectoryStore store) {
        super(dns);
        this.store = store;
    }

    @Override
    protected List<Domain> getDomainListInternal() throws DomainListException {
        try {
            return store.keys(Table.DOMAINS).stream().map(Domain::of).collect(Collectors.toUnmodifiableList());
        } catch (DirectoryStoreException e) {
            throw new DomainListException("Cannot list domains: " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean containsDomainInternal(Domain domain) throws DomainListException {
        try {
            return store.get(Table.DOMAINS, domain.asString()).isPresent();
        } catch (DirectoryStoreException e) {
            throw new DomainListException("Cannot look up domain " + domain.asString() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void addDomain(Domain domain) throws DomainListException {
        if (containsDomain(domain)) {
            throw new DomainListException(domain.name() + " already exists.");
        }
        try {
            store.put(Table.DOMAINS, domain.asString(), PRESENT);
        } catch (DirectoryStoreException e) {
            throw new DomainListException("Cannot add domain " + domain.asString() + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected synchronized void doRemoveDomain(Domain domain) throws DomainListException {
        if (!containsDomainInternal(domain)) {
            throw new DomainListException(domain.name() + " was not found");
        }
        try {
            store.delete(Table.DOMAINS, domain.asString());
        } catch (DirectoryStoreException e) {
            throw new DomainListException("Cannot remove domain " + domain.asString() + ": " + e.getMessage(), e);
        }
    }
}

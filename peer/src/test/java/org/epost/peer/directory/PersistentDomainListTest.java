package org.epost.peer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.james.core.Domain;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.lib.DomainListContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** James's own domain-list contract, run against the persistent domain list, plus durability. */
class PersistentDomainListTest implements DomainListContract {
    @TempDir
    Path directory;
    private PeerDirectoryStore store;
    private PersistentDomainList domainList;

    @BeforeEach
    void setUp() throws Exception {
        store = new PeerDirectoryStore(directory);
        domainList = newDomainList(store);
    }

    private PersistentDomainList newDomainList(PeerDirectoryStore store) throws Exception {
        PersistentDomainList list = new PersistentDomainList(getDNSServer("localhost"), store);
        list.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
        return list;
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Override
    public DomainList domainList() {
        return domainList;
    }

    @Test
    void domainsSurviveARestart() throws Exception {
        domainList.addDomain(Domain.of("epost.test"));
        domainList.addDomain(Domain.of("example.org"));
        domainList.removeDomain(Domain.of("example.org"));
        store.close();

        store = new PeerDirectoryStore(directory);
        PersistentDomainList restarted = newDomainList(store);

        assertThat(restarted.getDomains()).containsOnly(Domain.of("epost.test"), Domain.LOCALHOST);
    }
}

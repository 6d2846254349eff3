package org.epost.peer.directory;

import org.apache.james.core.Username;

/**
 * Told when James adds or removes an account, whichever tool did it (James CLI over JMX, WebAdmin, ...). This is
 * where ePOST provisions and retires a user's keys, certificate and identity block.
 */
public interface UserLifecycleListener {

    /** The account exists; make whatever the user needs. Throwing undoes the account creation. */
    void userAdded(Username username) throws Exception;

    /** The account is about to be removed. Throwing keeps the account. */
    void userRemoving(Username username) throws Exception;
}

/**
 * The POST accounts of the users homed on this peer: provisioned and retired with the James users of the ePOST
 * domains ({@link org.epost.peer.accounts.AccountProvisioner}), served from the start
 * ({@link org.epost.peer.accounts.LocalUsers}).
 */
package org.epost.peer.accounts;

/**
 * A message on its way through James's SMTP server, kept in the heap while small and otherwise in a temporary file
 * encrypted under a key that only lives in memory: ePOST writes no mail in plaintext to a peer's disk.
 */
package org.epost.mailbox.spill;

/**
 * The backend's log model, free of James types: the records of the account and folder logs, the states they fold
 * into ({@link org.epost.mailbox.model.AccountState}, {@link org.epost.mailbox.model.FolderState}) and the reducers.
 * Encoded as canonical CBOR through the overlay's writer; decoding is strict (wrong structure, non-canonical bytes or
 * a record that contradicts the state throw), so a log that does not make sense is never opened.
 */
package org.epost.mailbox.model;

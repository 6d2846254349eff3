/**
 * The James mailbox backend of ePOST (DESIGN.md section 6): James's mailbox-store SPI over POST's single-writer logs
 * and message store, so that IMAP, POP3, JMAP and the mailets of a stock James see ordinary mailboxes.
 *
 * <ul>
 *   <li>Each user has one <b>account log</b> (label {@code epost-mailbox/account}: folders with their path,
 *       UIDVALIDITY and ACL, subscriptions, annotations, stored attachments) and one <b>folder log</b> per folder
 *       (label {@code epost-mailbox/folder/<folder id>}: one small record per message added, flag change or expunge).
 *       Folders are keyed by an immutable random id, so RENAME (with its children) rewrites account records and
 *       moves no log. Records and states are canonical CBOR, strictly decoded ({@link org.epost.mailbox.model}).</li>
 *   <li>A folder's state (UID -> metadata, UIDNEXT, HIGHESTMODSEQ, keywords, counters) is its log's materialized
 *       view, kept by the home peer ({@link org.epost.post.log.LogViewStore}) and rebuilt from the DHT when missing.
 *       Every change is appended (one group commit per James operation) before it is acknowledged; readers see only
 *       acknowledged state ({@link org.epost.mailbox.storage.LoggedState}).</li>
 *   <li>Message contents are stored through {@link org.epost.post.message.MessageStore} before their record, and read
 *       lazily, through a small bounded cache, only when a client asks for them
 *       ({@link org.epost.mailbox.mail.PostMailboxMessage}).</li>
 *   <li>Where the backend gets a user's keys, blocks, view store and message store is one interface,
 *       {@link org.epost.mailbox.storage.PostMailboxStorage}; the peer implements it over its accounts.</li>
 * </ul>
 *
 * <p>James types are used here and in the subpackages only; {@code org.epost.post.*} stays James-free.
 */
package org.epost.mailbox;

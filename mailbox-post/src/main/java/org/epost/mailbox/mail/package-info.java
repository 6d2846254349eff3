/**
 * James's mappers over the account and folder logs: mailboxes, messages (by UID and by message id), subscriptions,
 * annotations, attachments, and the UID/MODSEQ providers.
 */
package org.epost.mailbox.mail;

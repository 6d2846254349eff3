/**
 * The logs this process keeps open: one {@link org.epost.mailbox.storage.UserAccount} per user and one
 * {@link org.epost.mailbox.storage.Folder} per folder, each log with one writer, a writing lock and its last durable state published to readers
 * ({@link org.epost.mailbox.storage.LoggedState}), and where a user's keys and stores come from
 * ({@link org.epost.mailbox.storage.PostMailboxStorage}).
 */
package org.epost.mailbox.storage;
